"use client";

import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { attachDatabaseAction } from "@/lib/actions/database/attach-database-action";
import type { AccountDatabasesJson } from "@/lib/query/use-databases";

type DatabaseJson = AccountDatabasesJson["databases"][number];

const FIELDS = ["siteId", "userId", "envPrefix"];

/** Gives a site a database's credentials (as one of the users with access) as environment variables. */
export function GiveToSiteDialog({
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
  const [prefix, setPrefix] = useState("");
  const [pending, startTransition] = useTransition();
  const users = database?.grants.filter((g) => !g.revoking) ?? [];

  function close() {
    setErrors({});
    setFormError(null);
    setPrefix("");
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!database) return;
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await attachDatabaseAction({
        siteId: String(form.get("siteId") ?? ""),
        databaseId: database.id,
        userId: String(form.get("userId") ?? ""),
        envPrefix: prefix,
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, FIELDS));
        return;
      }
      toast.show({
        tone: "success",
        title: `${database.name} given to the site`,
        description: "Its pods restart with the new variables.",
      });
      onChanged();
      close();
    });
  }

  const shown = prefix.trim().toUpperCase();
  const title = database ? `Give ${database.name} to a site` : "Give to a site";
  const ready = overview.sites.length > 0 && users.length > 0;
  return (
    <Dialog
      open={database !== null}
      onClose={close}
      title={title}
      description={`The site gets ${shown}DB_HOST, ${shown}DB_PORT, ${shown}DB_NAME, ${shown}DB_USER and ${shown}DB_PASSWORD in its environment.`}
    >
      <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label={title}>
        <FormError message={formError} testId="give-to-site-form-error" />
        {!ready ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {overview.sites.length === 0
              ? "This account has no site yet."
              : "Give a user access to this database first: the site connects as that user."}
          </p>
        ) : (
          <>
            <Field id="attach-siteId" label="Site" error={errors.siteId}>
              <Select id="attach-siteId" name="siteId" invalid={Boolean(errors.siteId)}>
                {overview.sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field id="attach-userId" label="Connect as" error={errors.userId}>
              <Select id="attach-userId" name="userId" invalid={Boolean(errors.userId)}>
                {users.map((g) => (
                  <option key={g.userId} value={g.userId}>
                    {g.userName}
                  </option>
                ))}
              </Select>
            </Field>
            <Field
              id="attach-envPrefix"
              label="Variable prefix (optional)"
              hint="e.g. SHOP_ for SHOP_DB_HOST; needed when the site has another database without one."
              error={errors.envPrefix}
            >
              <Input
                id="attach-envPrefix"
                name="envPrefix"
                autoComplete="off"
                spellCheck={false}
                value={prefix}
                onChange={(e) => setPrefix(e.target.value)}
                invalid={Boolean(errors.envPrefix)}
              />
            </Field>
          </>
        )}
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" pending={pending} disabled={!ready}>
            Give to site
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
