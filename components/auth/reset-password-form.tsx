"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { unplacedError } from "@/components/ui/unplaced-error";
import { resetPasswordAction } from "@/lib/actions/user/reset-password-action";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/user";

const FIELDS = ["newPassword", "confirmPassword"] as const;

/** The form a password reset link opens: a new password, twice. Then on to sign in with it. */
export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await resetPasswordAction({
        token,
        newPassword: String(form.get("newPassword") ?? ""),
        confirmPassword: String(form.get("confirmPassword") ?? ""),
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, [...FIELDS]));
        return;
      }
      router.replace("/sign-in?reset=done");
    });
  }

  const field = (name: (typeof FIELDS)[number], label: string, hint?: string) => (
    <Field id={name} label={label} error={errors[name]} hint={hint}>
      <Input
        id={name}
        name={name}
        type="password"
        autoComplete="new-password"
        required
        invalid={Boolean(errors[name])}
        describedBy={errors[name] ? `${name}-error` : hint ? `${name}-hint` : undefined}
      />
    </Field>
  );

  return (
    <form onSubmit={onSubmit} method="post" noValidate className="space-y-5">
      {/* For password managers: which user this password is for. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <FormError message={formError} testId="reset-password-error" />
      {field("newPassword", "New password", `At least ${PASSWORD_MIN_LENGTH} characters.`)}
      {field("confirmPassword", "Repeat the new password")}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every browser signed in as you is signed out; then you sign in with the new password.
      </p>
      <Button type="submit" className="w-full" pending={pending}>
        Set the new password
      </Button>
    </form>
  );
}
