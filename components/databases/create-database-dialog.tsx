"use client";

import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { createDatabaseAction } from "@/lib/actions/database/create-database-action";
import { createDatabaseUserAction } from "@/lib/actions/database/create-database-user-action";
import type { AccountDatabasesJson } from "@/lib/query/use-databases";
import { ENGINE_NAMES } from "./format";
import { PasswordOnce } from "./password-once";

const FIELDS = ["serverId", "name"];

/**
 * Creates a database or a database user: a server and a name, shown with the account's prefix.
 * A new user's password is shown once, in this dialog, after creation.
 */
export function CreateDatabaseDialog({
  kind,
  open,
  onClose,
  overview,
  onChanged,
}: {
  kind: "database" | "user";
  open: boolean;
  onClose: () => void;
  overview: AccountDatabasesJson;
  onChanged: () => void;
}) {
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ user: string; password: string } | null>(null);
  const [name, setName] = useState("");
  const [pending, startTransition] = useTransition();
  const servers = overview.servers.filter((s) => s.enabled);
  const noun = kind === "database" ? "database" : "database user";

  function close() {
    setErrors({});
    setFormError(null);
    setCreated(null);
    setName("");
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { accountId: overview.accountId, serverId: String(form.get("serverId") ?? ""), name };
    startTransition(async () => {
      if (kind === "database") {
        const result = await createDatabaseAction(input);
        if (!result.ok) {
          setErrors(result.fieldErrors ?? {});
          setFormError(unplacedError(result, FIELDS));
          return;
        }
        toast.show({ tone: "success", title: `Database ${result.data.name} is being created` });
        onChanged();
        close();
        return;
      }
      const result = await createDatabaseUserAction(input);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, FIELDS));
        return;
      }
      onChanged();
      setCreated({ user: result.data.user.name, password: result.data.password });
    });
  }

  const title = kind === "database" ? "New database" : "New database user";
  return (
    <Dialog open={open} onClose={close} title={title}>
      {created ? (
        <div className="space-y-4">
          <PasswordOnce user={created.user} password={created.password} />
          <div className="flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label={title}>
          <FormError message={formError} testId={`create-${kind}-form-error`} />
          <Field id={`${kind}-serverId`} label="Server" error={errors.serverId}>
            <Select id={`${kind}-serverId`} name="serverId" invalid={Boolean(errors.serverId)}>
              {servers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({ENGINE_NAMES[s.engine] ?? s.engine})
                </option>
              ))}
            </Select>
          </Field>
          <Field
            id={`${kind}-name`}
            label="Name"
            hint={`Letters, digits and underscores. On the server: ${overview.prefix}${name || "…"}`}
            error={errors.name}
          >
            <div className="flex items-center gap-2">
              <span className="font-mono text-sm text-zinc-500 dark:text-zinc-400">{overview.prefix}</span>
              <Input
                id={`${kind}-name`}
                name="name"
                autoComplete="off"
                spellCheck={false}
                value={name}
                onChange={(e) => setName(e.target.value)}
                invalid={Boolean(errors.name)}
              />
            </div>
          </Field>
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" pending={pending} disabled={servers.length === 0}>
              Create {noun}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
