"use client";

import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { grantDatabaseAccessAction } from "@/lib/actions/database/grant-database-access-action";
import type { AccountDatabasesJson } from "@/lib/query/use-databases";

type DatabaseJson = AccountDatabasesJson["databases"][number];

/** Gives one of the account's users (on the database's server) ALL privileges on the database. */
export function GrantDialog({
  database,
  overview,
  onClose,
  onChanged,
}: {
  database: DatabaseJson | null;
  overview: AccountDatabasesJson;
  onClose: () => void;
  onChanged: () => void;
}) {
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const granted = new Set(database?.grants.filter((g) => !g.revoking).map((g) => g.userId));
  const candidates = overview.users.filter(
    (u) => database && u.serverId === database.serverId && u.state !== "DELETING" && !granted.has(u.id),
  );

  function close() {
    setErrors({});
    setFormError(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!database) return;
    const userId = String(new FormData(event.currentTarget).get("userId") ?? "");
    startTransition(async () => {
      const result = await grantDatabaseAccessAction({ databaseId: database.id, userId });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, ["userId"]));
        return;
      }
      toast.show({ tone: "success", title: `Access to ${database.name} given` });
      onChanged();
      close();
    });
  }

  const title = database ? `Give access to ${database.name}` : "Give access";
  return (
    <Dialog
      open={database !== null}
      onClose={close}
      title={title}
      description="The user gets all privileges on this database, and on no other."
    >
      <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label={title}>
        <FormError message={formError} testId="grant-form-error" />
        {candidates.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No user on this database's server is left to give access to. Create a database user on{" "}
            {database?.serverName} first.
          </p>
        ) : (
          <Field id="grant-userId" label="User" error={errors.userId}>
            <Select id="grant-userId" name="userId" invalid={Boolean(errors.userId)}>
              {candidates.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
          </Field>
        )}
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" pending={pending} disabled={candidates.length === 0}>
            Give access
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
