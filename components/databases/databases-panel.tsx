"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PlusIcon } from "@/components/ui/icons";
import { RefreshError } from "@/components/ui/refresh-error";
import { UsageBar } from "@/components/ui/usage-bar";
import { queryKeys } from "@/lib/query/keys";
import { type AccountDatabasesJson, useDatabases } from "@/lib/query/use-databases";
import { CreateDatabaseDialog } from "./create-database-dialog";
import { DatabaseIcon } from "./database-icons";
import { DatabaseUsersTable } from "./database-users-table";
import { DatabasesTable } from "./databases-table";

/** An account's Databases page: usage, databases, users; kept current by live updates. */
export function DatabasesPanel({
  initial,
  canManage,
}: {
  initial: AccountDatabasesJson;
  canManage: boolean;
}) {
  const queryClient = useQueryClient();
  const query = useDatabases(initial.accountId, initial);
  const overview = query.data ?? initial;
  const [creating, setCreating] = useState<"database" | "user" | null>(null);
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: queryKeys.databases.account(overview.accountId) });
  const { used, limit, siteDatabases } = overview.usage;
  const full = limit !== null && used >= limit;
  const noServer = overview.servers.every((s) => !s.enabled);

  const newDatabase = (
    <Button size="sm" onClick={() => setCreating("database")} disabled={full || noServer}>
      <PlusIcon className="size-4" />
      New database
    </Button>
  );
  const newUser = (
    <Button size="sm" onClick={() => setCreating("user")} disabled={noServer}>
      <PlusIcon className="size-4" />
      New user
    </Button>
  );
  return (
    <div className="space-y-6">
      <RefreshError error={query.error} />
      <Card>
        <CardBody>
          <UsageBar label="Databases" used={used} limit={limit} />
          <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400" data-testid="database-usage">
            {limit === null
              ? `${used} ${used === 1 ? "database" : "databases"}`
              : `${used} of ${limit} databases`}
            {siteDatabases > 0 ? `, ${siteDatabases} of them the own database of a WordPress site` : ""}.
            Names start with <span className="font-mono">{overview.prefix}</span>.
            {full && canManage ? " Your plan allows no more: delete one or upgrade the plan." : ""}
          </p>
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Databases"
          description="MySQL / MariaDB and PostgreSQL databases for your sites and applications."
          actions={canManage && overview.databases.length > 0 ? newDatabase : null}
        />
        {overview.databases.length === 0 ? (
          <EmptyState
            icon={<DatabaseIcon className="size-6" />}
            title="No database yet"
            description={
              noServer
                ? "No database server takes new databases yet: ask your provider."
                : "Create a database, then a user, and give the user access to it."
            }
            action={canManage ? newDatabase : undefined}
          />
        ) : (
          <DatabasesTable overview={overview} canManage={canManage} onChanged={refresh} />
        )}
      </Card>
      <Card>
        <CardHeader
          title="Database users"
          description="Logins for your databases. A password is shown once, when it is made."
          actions={canManage ? newUser : null}
        />
        {overview.users.length === 0 ? (
          <p className="px-5 py-4 text-sm text-zinc-500 dark:text-zinc-400">No database user yet.</p>
        ) : (
          <DatabaseUsersTable overview={overview} canManage={canManage} onChanged={refresh} />
        )}
      </Card>
      <CreateDatabaseDialog
        kind="database"
        open={creating === "database"}
        onClose={() => setCreating(null)}
        overview={overview}
        onChanged={refresh}
      />
      <CreateDatabaseDialog
        kind="user"
        open={creating === "user"}
        onClose={() => setCreating(null)}
        overview={overview}
        onChanged={refresh}
      />
    </div>
  );
}
