"use client";

import Link from "next/link";
import { type FormEvent, useState, useTransition } from "react";
import { AuthNotice } from "@/components/auth/auth-card";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { unplacedError } from "@/components/ui/unplaced-error";
import { requestPasswordResetAction } from "@/lib/actions/user/request-password-reset-action";

const LINK = "text-sm font-medium text-brand-700 hover:underline dark:text-brand-400";

/**
 * Asks for a reset link. The page says the same whether or not the address has a user (the server
 * answers both alike): "if it has one, a link is on its way".
 */
export function ForgotPasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ email: string; validMinutes: number } | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    startTransition(async () => {
      const result = await requestPasswordResetAction({ email });
      if (!result.ok) {
        setError(result.fieldErrors?.email ?? null);
        setFormError(unplacedError(result, ["email"]));
        return;
      }
      setError(null);
      setFormError(null);
      setSent(result.data);
    });
  }

  if (sent) {
    return (
      <div className="space-y-4">
        <AuthNotice testId="reset-link-sent">
          If <span className="font-medium">{sent.email}</span> belongs to a Sitepod user, a link to choose a
          new password is on its way. It works once, for{" "}
          {sent.validMinutes === 60 ? "1 hour" : `${sent.validMinutes} minutes`}.
        </AuthNotice>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Nothing after a few minutes? Check your spam folder, or that you typed the address you sign in with.
        </p>
        <div className="flex justify-between gap-4">
          <button type="button" className={LINK} onClick={() => setSent(null)}>
            Use another address
          </button>
          <Link href="/sign-in" className={LINK}>
            Back to sign-in
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} method="post" noValidate className="space-y-5">
      <FormError message={formError} testId="forgot-password-error" />
      <Field id="email" label="Email" error={error ?? undefined}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          invalid={Boolean(error)}
          describedBy={error ? "email-error" : undefined}
        />
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Send me a link
      </Button>
      <p className="text-center">
        <Link href="/sign-in" className={LINK}>
          Back to sign-in
        </Link>
      </p>
    </form>
  );
}
