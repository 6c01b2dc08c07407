"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { AuthNotice } from "@/components/auth/auth-card";
import { Button, buttonClasses } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { verifyEmailAction } from "@/lib/actions/user/verify-email-action";

/**
 * What a confirmation link opens: one button. Opening the page changes nothing (mail scanners
 * follow links); pressing the button uses the link.
 */
export function ConfirmEmail({
  token,
  email,
  changesEmail,
  signedIn,
}: {
  token: string;
  email: string;
  changesEmail: boolean;
  signedIn: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await verifyEmailAction({ token });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setError(null);
      setDone(true);
    });
  }

  if (done) {
    return (
      <div className="space-y-4">
        <AuthNotice testId="email-confirmed">
          {changesEmail ? (
            <>
              Your email address is now <span className="font-medium">{email}</span>. Sign in with it from now
              on.
            </>
          ) : (
            <>
              <span className="font-medium">{email}</span> is confirmed.
            </>
          )}
        </AuthNotice>
        <Link href={signedIn ? "/profile" : "/sign-in"} className={buttonClasses("primary", "md", "w-full")}>
          {signedIn ? "Go to your profile" : "Sign in"}
        </Link>
      </div>
    );
  }

  return (
    <div className="space-y-5">
      <FormError message={error} testId="confirm-email-error" />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {changesEmail
          ? "Confirm to make this your email address: you will sign in with it, and Sitepod mails you there."
          : "Confirm that this address is yours, so that Sitepod can reach you there."}
      </p>
      <Button
        type="button"
        className="h-auto min-h-10 w-full py-2 break-all"
        pending={pending}
        onClick={confirm}
      >
        Confirm {email}
      </Button>
    </div>
  );
}
