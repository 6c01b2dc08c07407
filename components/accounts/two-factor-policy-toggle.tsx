"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { setTwoFactorPolicyAction } from "@/lib/actions/two-factor/set-two-factor-policy-action";

/** The account's "everyone here and below must use two-factor sign-in" switch. */
export function TwoFactorPolicyToggle({
  accountId,
  accountName,
  requireTwoFactor,
  requiredAbove,
  canChange,
}: {
  accountId: string;
  accountName: string;
  requireTwoFactor: boolean;
  requiredAbove: string | null;
  canChange: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [on, setOn] = useState(requireTwoFactor);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    const next = !on;
    setPending(true);
    setError(null);
    const result = await setTwoFactorPolicyAction({ accountId, requireTwoFactor: next });
    setPending(false);
    if (!result.ok) return setError(result.message);
    setOn(result.data.requireTwoFactor);
    toast.show({
      tone: "success",
      title: next ? "Two-factor sign-in required" : "Two-factor sign-in no longer required",
    });
    router.refresh();
  }

  return (
    <div className="space-y-3">
      <div className="flex items-start justify-between gap-4">
        <div>
          <p id="two-factor-policy-label" className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
            Require two-factor sign-in
          </p>
          <p id="two-factor-policy-hint" className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">
            Everyone in {accountName} and in the accounts below it, you included, must set up an authenticator
            app before they can continue.
          </p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={on}
          aria-labelledby="two-factor-policy-label"
          aria-describedby="two-factor-policy-hint"
          disabled={!canChange || pending}
          onClick={() => void toggle()}
          data-testid="two-factor-policy-switch"
          className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 disabled:opacity-50 ${
            on ? "bg-brand-600" : "bg-zinc-300 dark:bg-zinc-700"
          }`}
        >
          <span
            aria-hidden="true"
            className={`inline-block size-5 rounded-full bg-white shadow transition-transform ${
              on ? "translate-x-5" : "translate-x-0.5"
            }`}
          />
        </button>
      </div>
      {requiredAbove ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-300">
          {requiredAbove} already requires it for this account, whatever this switch says.
        </p>
      ) : null}
      {!canChange ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Only owners and admins can change this.</p>
      ) : null}
      <FormError message={error} testId="two-factor-policy-error" />
    </div>
  );
}
