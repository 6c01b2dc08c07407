"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { deleteDatabaseAction } from "@/lib/actions/database/delete-database-action";
import { detachDatabaseAction } from "@/lib/actions/database/detach-database-action";
import { revokeDatabaseAccessAction } from "@/lib/actions/database/revoke-database-access-action";
import type { AccountDatabasesJson } from "@/lib/query/use-databases";
import { ENGINE_NAMES, formatBytes, STATE_LABELS } from "./format";
import { GiveToSiteDialog } from "./give-to-site-dialog";
import { GrantDialog } from "./grant-dialog";

type DatabaseJson = AccountDatabasesJson["databases"][number];

/** The account's databases: server, engine, size, state, who has access; grant, revoke, delete. */
export function DatabasesTable({
  overview,
  canManage,
  onChanged,
}: {
  overview: AccountDatabasesJson;
  canManage: boolean;
  onChanged: () => void;
}) {
  const toast = useToast();
  const [deleting, setDeleting] = useState<DatabaseJson | null>(null);
  const [granting, setGranting] = useState<DatabaseJson | null>(null);
  const [giving, setGiving] = useState<DatabaseJson | null>(null);

  async function detach(database: DatabaseJson, site: DatabaseJson["sites"][number]) {
    const result = await detachDatabaseAction({ siteId: site.siteId, attachmentId: site.attachmentId });
    if (!result.ok) {
      toast.show({ tone: "error", title: "Not detached", description: result.message });
      return;
    }
    toast.show({ tone: "success", title: `${site.siteName} no longer gets ${database.name}` });
    onChanged();
  }

  async function revoke(database: DatabaseJson, userId: string, userName: string) {
    const result = await revokeDatabaseAccessAction({ databaseId: database.id, databaseUserId: userId });
    if (!result.ok) {
      toast.show({ tone: "error", title: "Access not taken away", description: result.message });
      return;
    }
    toast.show({ tone: "success", title: `${userName} loses access to ${database.name}` });
    onChanged();
  }

  return (
    <>
      <Table label="Databases">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Server</Th>
            <Th>Size</Th>
            <Th>State</Th>
            <Th>Users with access</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <TBody>
          {overview.databases.map((database) => {
            const state = STATE_LABELS[database.state] ?? { label: database.state, tone: "neutral" as const };
            const active = database.state !== "DELETING";
            return (
              <tr key={database.id} data-testid="database-row" data-name={database.name}>
                <Td className="font-mono text-sm font-medium text-zinc-900 dark:text-zinc-100">
                  {database.name}
                  {database.sites.map((site) => (
                    <span
                      key={site.attachmentId}
                      className="mt-0.5 flex items-center gap-1 font-sans text-xs font-normal text-zinc-500 dark:text-zinc-400"
                    >
                      Given to {site.siteName}
                      {site.envPrefix ? ` as ${site.envPrefix}DB_*` : ""}
                      {canManage ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Detach ${database.name} from ${site.siteName}`}
                          onClick={() => void detach(database, site)}
                        >
                          Detach
                        </Button>
                      ) : null}
                    </span>
                  ))}
                </Td>
                <Td>
                  {database.serverName}
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                    {ENGINE_NAMES[database.engine] ?? database.engine}
                  </span>
                </Td>
                <Td className="tabular-nums">{formatBytes(database.sizeBytes)}</Td>
                <Td>
                  <Badge tone={state.tone} data-testid="database-state" data-phase={database.state}>
                    {state.label}
                  </Badge>
                  {database.statusMessage && database.state !== "READY" ? (
                    <p className="mt-1 max-w-xs text-xs text-zinc-500 dark:text-zinc-400">
                      {database.statusMessage}
                    </p>
                  ) : null}
                </Td>
                <Td>
                  {database.grants.length === 0 ? (
                    <span className="text-sm text-zinc-500 dark:text-zinc-400">Nobody yet</span>
                  ) : (
                    <ul className="space-y-1">
                      {database.grants.map((grant) => (
                        <li key={grant.userId} className="flex items-center gap-2 text-sm">
                          <span className="font-mono">{grant.userName}</span>
                          {grant.pending ? <Badge tone="info">Applying</Badge> : null}
                          {grant.revoking ? <Badge tone="warning">Revoking</Badge> : null}
                          {canManage && active && !grant.revoking ? (
                            <Button
                              size="sm"
                              variant="ghost"
                              aria-label={`Take access to ${database.name} away from ${grant.userName}`}
                              onClick={() => void revoke(database, grant.userId, grant.userName)}
                            >
                              Revoke
                            </Button>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  )}
                </Td>
                <Td className="text-right whitespace-nowrap">
                  {canManage && active ? (
                    <div className="flex flex-col items-end gap-1">
                      <Button size="sm" variant="ghost" onClick={() => setGranting(database)}>
                        Give access
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setGiving(database)}>
                        Give to a site
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setDeleting(database)}>
                        Delete
                      </Button>
                    </div>
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </TBody>
      </Table>
      <GiveToSiteDialog
        database={giving}
        overview={overview}
        onClose={() => setGiving(null)}
        onChanged={onChanged}
      />
      <GrantDialog
        database={granting}
        overview={overview}
        onClose={() => setGranting(null)}
        onChanged={onChanged}
      />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? "database"}?`}
        description="The database and all its data are dropped from the server. This cannot be undone."
        confirmLabel="Delete database"
        danger
        typed={deleting?.name ?? ""}
        onConfirm={async () => {
          if (!deleting) return null;
          const result = await deleteDatabaseAction({ databaseId: deleting.id, confirm: deleting.name });
          if (!result.ok) return result.fieldErrors?.confirm ?? result.message;
          toast.show({ tone: "success", title: `${deleting.name} is being deleted` });
          onChanged();
          return null;
        }}
      />
    </>
  );
}
