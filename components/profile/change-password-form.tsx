"use client";

import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { changePasswordAction } from "@/lib/actions/user/change-password-action";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/session";

const FIELDS = ["currentPassword", "newPassword", "confirmPassword"] as const;

export function ChangePasswordForm() {
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    startTransition(async () => {
      const result = await changePasswordAction(
        Object.fromEntries(FIELDS.map((name) => [name, String(form.get(name) ?? "")])),
      );
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, [...FIELDS]));
        return;
      }
      setErrors({});
      setFormError(null);
      target.reset();
      const { endedSessions } = result.data;
      toast.show({
        tone: "success",
        title: "Password changed",
        description:
          endedSessions > 0
            ? `${endedSessions} other ${endedSessions === 1 ? "session was" : "sessions were"} signed out.`
            : "You had no other sessions to sign out.",
      });
    });
  }

  const field = (name: (typeof FIELDS)[number], label: string, autoComplete: string, hint?: string) => (
    <Field id={name} label={label} error={errors[name]} hint={hint}>
      <Input
        id={name}
        name={name}
        type="password"
        autoComplete={autoComplete}
        required
        invalid={Boolean(errors[name])}
        describedBy={errors[name] ? `${name}-error` : hint ? `${name}-hint` : undefined}
      />
    </Field>
  );

  return (
    <Card>
      <CardHeader
        title="Change your password"
        description="Every other browser signed in as you is signed out; this one stays signed in."
      />
      <CardBody>
        <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
          <FormError message={formError} testId="change-password-error" />
          {field("currentPassword", "Current password", "current-password")}
          {field(
            "newPassword",
            "New password",
            "new-password",
            `At least ${PASSWORD_MIN_LENGTH} characters.`,
          )}
          {field("confirmPassword", "Repeat the new password", "new-password")}
          <Button type="submit" pending={pending}>
            Change password
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
