"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { PlusIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { createDatabaseServerAction } from "@/lib/actions/database/create-database-server-action";
import { updateDatabaseServerAction } from "@/lib/actions/database/update-database-server-action";
import type { Jsonify } from "@/lib/api/json";
import type { DatabaseServerView } from "@/lib/services/database/database-view";
import { ServerIcon } from "./database-icons";
import { ENGINE_NAMES } from "./format";

type Server = Jsonify<DatabaseServerView>;

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

const FIELDS = [
  "name",
  "engine",
  "host",
  "port",
  "adminUser",
  "adminPassword",
  "podHost",
  "podPort",
  "enabled",
];

/** The platform operator's database servers: where accounts' databases live, and whether Sitepod reaches them. */
export function DatabaseServersPanel({ servers, canManage }: { servers: Server[]; canManage: boolean }) {
  const [editing, setEditing] = useState<Server | null>(null);
  const [creating, setCreating] = useState(false);
  const newButton = (
    <Button size="sm" onClick={() => setCreating(true)}>
      <PlusIcon className="size-4" />
      Add server
    </Button>
  );
  return (
    <Card>
      <CardHeader
        title="Database servers"
        description="MySQL / MariaDB and PostgreSQL servers on which accounts create their databases. Admin passwords are stored encrypted and never shown again."
        actions={canManage && servers.length > 0 ? newButton : null}
      />
      {servers.length === 0 ? (
        <EmptyState
          icon={<ServerIcon className="size-6" />}
          title="No database server yet"
          description="Accounts cannot create databases until a server is registered. `npm run up` registers the machine's."
          action={canManage ? newButton : undefined}
        />
      ) : (
        <Table label="Database servers">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Address</Th>
              <Th>Status</Th>
              <Th>In use</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <TBody>
            {servers.map((server) => (
              <tr key={server.id} data-testid="database-server-row" data-name={server.name}>
                <Td className="font-medium text-zinc-900 dark:text-zinc-100">
                  {server.name}
                  <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">
                    {ENGINE_NAMES[server.engine] ?? server.engine}
                  </span>
                  {server.enabled ? null : (
                    <Badge tone="neutral" className="mt-1">
                      No new databases
                    </Badge>
                  )}
                </Td>
                <Td className="font-mono text-xs">
                  {server.adminUser}@{server.host}:{server.port}
                  {server.podHost || server.podPort ? (
                    <span className="block text-zinc-500 dark:text-zinc-400">
                      pods: {server.podHost ?? server.host}:{server.podPort ?? server.port}
                    </span>
                  ) : null}
                </Td>
                <Td>
                  <Badge
                    tone={server.reachable === null ? "neutral" : server.reachable ? "success" : "danger"}
                    data-testid="database-server-status"
                  >
                    {server.reachable === null
                      ? "Not checked yet"
                      : server.reachable
                        ? "Reachable"
                        : "Unreachable"}
                  </Badge>
                  {server.statusMessage ? (
                    <p className="mt-1 max-w-xs text-xs text-zinc-500 dark:text-zinc-400">
                      {server.statusMessage}
                    </p>
                  ) : null}
                  {server.lastCheckedAt ? (
                    <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
                      Checked {new Date(server.lastCheckedAt).toLocaleString()}
                    </p>
                  ) : null}
                </Td>
                <Td className="tabular-nums whitespace-nowrap">
                  {plural(server.databaseCount, "database")}
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                    {plural(server.userCount, "user")}
                  </span>
                </Td>
                <Td className="text-right">
                  {canManage ? (
                    <Button size="sm" variant="ghost" onClick={() => setEditing(server)}>
                      Edit
                    </Button>
                  ) : null}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      <ServerDialog open={creating} onClose={() => setCreating(false)} server={null} />
      <ServerDialog open={editing !== null} onClose={() => setEditing(null)} server={editing} />
    </Card>
  );
}

function ServerDialog({
  server,
  open,
  onClose,
}: {
  server: Server | null;
  open: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function close() {
    setErrors({});
    setFormError(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (key: string) => String(form.get(key) ?? "");
    const password = text("adminPassword");
    const fields = {
      name: text("name"),
      host: text("host"),
      port: text("port"),
      adminUser: text("adminUser"),
      podHost: text("podHost"),
      podPort: text("podPort"),
      enabled: form.get("enabled") === "on",
      // Editing: an empty password field keeps the stored one.
      ...(server && password === "" ? {} : { adminPassword: password }),
    };
    startTransition(async () => {
      const result = server
        ? await updateDatabaseServerAction({ serverId: server.id, ...fields })
        : await createDatabaseServerAction({ ...fields, engine: text("engine") });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, FIELDS));
        return;
      }
      toast.show({
        tone: "success",
        title: server ? `${result.data.name} saved` : `${result.data.name} registered`,
      });
      close();
      router.refresh();
    });
  }

  const title = server ? `Edit ${server.name}` : "Add database server";
  const field = (
    name: string,
    label: string,
    hint: string | undefined,
    value: string | number | null | undefined,
  ) => (
    <Field id={`server-${name}`} label={label} hint={hint} error={errors[name]}>
      <Input
        id={`server-${name}`}
        name={name}
        defaultValue={value ?? ""}
        autoComplete="off"
        spellCheck={false}
        invalid={Boolean(errors[name])}
      />
    </Field>
  );
  return (
    <Dialog open={open} onClose={close} title={title}>
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={title}>
        <FormError message={formError} testId="server-form-error" />
        {field("name", "Name", "Shown to accounts, e.g. MariaDB (eu-1).", server?.name)}
        {server ? null : (
          <Field id="server-engine" label="Engine" error={errors.engine}>
            <Select id="server-engine" name="engine" invalid={Boolean(errors.engine)}>
              <option value="MYSQL">MySQL / MariaDB</option>
              <option value="POSTGRESQL">PostgreSQL</option>
            </Select>
          </Field>
        )}
        {field("host", "Host", "Where Sitepod reaches it as the admin.", server?.host)}
        {field("port", "Port", undefined, server?.port ?? "")}
        {field(
          "adminUser",
          "Admin user",
          "Must be allowed to create databases and users.",
          server?.adminUser,
        )}
        <Field
          id="server-adminPassword"
          label="Admin password"
          hint={
            server?.hasAdminPassword
              ? "Stored encrypted. Leave empty to keep it."
              : "Leave empty if the server asks none (local trust)."
          }
          error={errors.adminPassword}
        >
          <Input
            id="server-adminPassword"
            name="adminPassword"
            type="password"
            autoComplete="new-password"
            invalid={Boolean(errors.adminPassword)}
          />
        </Field>
        {field(
          "podHost",
          "Host for site pods (optional)",
          "When pods reach it elsewhere, e.g. a Service name.",
          server?.podHost,
        )}
        {field("podPort", "Port for site pods (optional)", undefined, server?.podPort)}
        <label className="flex items-center gap-2 text-sm text-zinc-800 dark:text-zinc-200">
          <input
            type="checkbox"
            name="enabled"
            defaultChecked={server?.enabled ?? true}
            className="size-4 rounded border-zinc-300"
          />
          Accounts may create new databases on it
        </label>
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            {server ? "Save server" : "Add server"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
