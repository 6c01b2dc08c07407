"use client";

import { type FormEvent, useState, useTransition } from "react";
import { grantableRoles, TokenGrantFields } from "@/components/api-tokens/token-grant-fields";
import { TokenOnce } from "@/components/api-tokens/token-once";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { unplacedError } from "@/components/ui/unplaced-error";
import { createApiTokenAction } from "@/lib/actions/api-token/create-api-token-action";
import type { AccountJson } from "@/lib/api/json";
import type { Role } from "@/lib/generated/prisma/enums";
import { DEFAULT_API_TOKEN_EXPIRY } from "@/lib/validation/api-token";

const FIELDS = ["name", "role", "expiresInDays"];

/**
 * Creates an API token: a name, a role no stronger than the caller's own on the account, an expiry.
 * The token is then shown once, in this dialog.
 */
export function CreateApiTokenDialog({
  account,
  ownRole,
  open,
  onClose,
  onCreated,
}: {
  account: AccountJson;
  ownRole: Role;
  open: boolean;
  onClose: () => void;
  onCreated: () => void;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const roles = grantableRoles(ownRole);

  function close() {
    setErrors({});
    setFormError(null);
    setCreated(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await createApiTokenAction({
        accountId: account.id,
        name: String(form.get("name") ?? ""),
        role: String(form.get("role") ?? ""),
        expiresInDays: String(form.get("expiresInDays") ?? ""),
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, FIELDS));
        return;
      }
      setCreated({ name: result.data.token.name, token: result.data.secret });
      onCreated();
    });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={created ? "Your new API token" : "New API token"}
      description={
        created
          ? undefined
          : `It acts for you on ${account.name} and the accounts below it, with the role you give it.`
      }
    >
      {created ? (
        <div className="space-y-4">
          <TokenOnce name={created.name} token={created.token} />
          <div className="flex justify-end">
            <Button onClick={close}>I have copied it</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="New API token">
          <FormError message={formError} testId="create-api-token-form-error" />
          <Field
            id="api-token-name"
            label="Name"
            hint="What uses it, so that you recognise it later (e.g. deploy script, CI)."
            error={errors.name}
          >
            <Input
              id="api-token-name"
              name="name"
              autoComplete="off"
              invalid={Boolean(errors.name)}
              autoFocus
            />
          </Field>
          <TokenGrantFields
            idPrefix="api-token"
            ownRole={ownRole}
            defaultRole={roles.includes("VIEWER") ? "VIEWER" : roles[roles.length - 1]}
            defaultExpiry={DEFAULT_API_TOKEN_EXPIRY}
            errors={errors}
          />
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              Create token
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
