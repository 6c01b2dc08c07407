"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { LocalTime } from "@/components/sites/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { requestEmailChangeAction } from "@/lib/actions/user/request-email-change-action";
import { resendVerificationAction } from "@/lib/actions/user/resend-verification-action";
import type { ProfileView } from "@/lib/services/user/get-profile";

const FIELDS = ["email", "currentPassword"] as const;
const NO_MAIL =
  "This Sitepod cannot send email yet (no mail server is set up), so addresses cannot be confirmed or changed here. Ask your provider.";

/** The caller's address: whether it is confirmed, a change waiting for confirmation, and the change form. */
export function EmailCard({ profile }: { profile: ProfileView }) {
  const router = useRouter();
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [sending, startSending] = useTransition();

  function resend() {
    startSending(async () => {
      const result = await resendVerificationAction({});
      if (!result.ok) {
        toast.show({ tone: "error", title: "No link sent", description: result.message });
        return;
      }
      toast.show({
        tone: "success",
        title: "Confirmation link sent",
        description: `Open the link we mailed to ${result.data.email}.`,
      });
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    startTransition(async () => {
      const result = await requestEmailChangeAction(
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
      toast.show({
        tone: "success",
        title: "Confirmation link sent",
        description: `Open the link we mailed to ${result.data.email} to make it your address.`,
      });
      router.refresh();
    });
  }

  return (
    <Card>
      <CardHeader
        title="Email address"
        description="You sign in with it; password reset links and invitations go there."
      />
      <CardBody className="space-y-5">
        <div className="flex flex-wrap items-center gap-3">
          <span
            className="font-medium break-all text-zinc-900 dark:text-zinc-100"
            data-testid="profile-email"
          >
            {profile.email}
          </span>
          {profile.emailVerifiedAt ? (
            <Badge tone="success" data-testid="email-status">
              Confirmed
            </Badge>
          ) : (
            <Badge tone="warning" data-testid="email-status">
              Not confirmed
            </Badge>
          )}
          {!profile.emailVerifiedAt && profile.canSendMail ? (
            <Button size="sm" variant="secondary" pending={sending} onClick={resend}>
              Mail me a confirmation link
            </Button>
          ) : null}
        </div>
        {profile.pendingEmail ? (
          <div
            role="status"
            data-testid="pending-email"
            className="rounded-lg border border-sky-200 bg-sky-50 px-3 py-2.5 text-sm text-sky-900 dark:border-sky-500/30 dark:bg-sky-500/10 dark:text-sky-200"
          >
            Waiting for you to confirm{" "}
            <span className="font-medium break-all">{profile.pendingEmail.email}</span>: open the link we
            mailed there (it works until <LocalTime iso={profile.pendingEmail.expiresAt} />
            ). Until then you keep signing in with {profile.email}.
          </div>
        ) : null}
        {profile.canSendMail ? (
          <div className="border-t border-zinc-100 pt-5 dark:border-zinc-800">
            <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
              <h3 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
                Change your email address
              </h3>
              <FormError message={formError} testId="change-email-error" />
              <Field
                id="new-email"
                label="New email address"
                error={errors.email}
                hint="It takes effect once you open the link we mail there."
              >
                <Input
                  id="new-email"
                  name="email"
                  type="email"
                  autoComplete="email"
                  required
                  invalid={Boolean(errors.email)}
                  describedBy={errors.email ? "new-email-error" : "new-email-hint"}
                />
              </Field>
              <Field id="email-current-password" label="Current password" error={errors.currentPassword}>
                <Input
                  id="email-current-password"
                  name="currentPassword"
                  type="password"
                  autoComplete="current-password"
                  required
                  invalid={Boolean(errors.currentPassword)}
                  describedBy={errors.currentPassword ? "email-current-password-error" : undefined}
                />
              </Field>
              <Button type="submit" pending={pending}>
                Send a confirmation link
              </Button>
            </form>
          </div>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">{NO_MAIL}</p>
        )}
      </CardBody>
    </Card>
  );
}
