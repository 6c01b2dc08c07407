"use client";

import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { LifebuoyIcon } from "@/components/ui/icons";
import { startImpersonationAction } from "@/lib/actions/impersonation/start-impersonation-action";
import { IMPERSONATION_MINUTES } from "@/lib/authz/impersonation";
import { IMPERSONATION_REASON_MAX_LENGTH } from "@/lib/validation/impersonation";

/**
 * The operator's "Sign in as" for one user: asks why (the user's accounts read it in their audit
 * log), then the whole panel acts as that user until the banner's "End" or the time limit.
 */
export function SignInAsButton({ user }: { user: { id: string; name: string; email: string } }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function close() {
    setOpen(false);
    setReason("");
    setFieldError(undefined);
    setError(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await startImpersonationAction({ userId: user.id, reason });
      if (!result.ok) {
        setFieldError(result.fieldErrors?.reason);
        setError(result.fieldErrors?.reason ? null : result.message);
        return;
      }
      // A new document: every page, query and live stream starts over as the user.
      window.location.assign(result.data.home);
    });
  }

  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        onClick={() => setOpen(true)}
        aria-label={`Sign in as ${user.name}`}
      >
        <LifebuoyIcon className="size-4" />
        Sign in as
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={`Sign in as ${user.name}`}
        description={
          <>
            You will see and do what {user.name} ({user.email}) can, with their roles and nothing of your own,
            for at most {IMPERSONATION_MINUTES} minutes. Their password, email, two-factor sign-in and API
            tokens stay out of reach. The audit log of their accounts records that you signed in, why, and
            everything you change.
          </>
        }
      >
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <Field
            id="impersonation-reason"
            label="Reason"
            hint="Shown to the customer in their audit log, e.g. the ticket and what you will look at."
            error={fieldError}
          >
            <Input
              id="impersonation-reason"
              name="reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={IMPERSONATION_REASON_MAX_LENGTH}
              invalid={fieldError !== undefined}
              describedBy={fieldError ? "impersonation-reason-error" : "impersonation-reason-hint"}
              autoComplete="off"
              autoFocus
              required
            />
          </Field>
          <FormError message={error} testId="impersonation-error" />
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              Sign in as {user.name}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
