"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { resetUserTwoFactorAction } from "@/lib/actions/two-factor/reset-user-two-factor-action";

/** The operator's button for one user found by email (the search itself is a plain GET form). */
export function ResetTwoFactorButton({ userId, email }: { userId: string; email: string }) {
  const router = useRouter();
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function reset() {
    setPending(true);
    setError(null);
    const result = await resetUserTwoFactorAction({ userId });
    setPending(false);
    if (!result.ok) return setError(result.message);
    toast.show({
      tone: "success",
      title: "Two-factor sign-in reset",
      description: `${email} now signs in with their password and can set up a new app.`,
    });
    router.refresh();
  }

  return (
    <div className="space-y-2">
      <Button variant="danger" size="sm" pending={pending} onClick={() => void reset()}>
        Reset two-factor sign-in
      </Button>
      <FormError message={error} testId="reset-two-factor-error" />
    </div>
  );
}
