"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { deleteDatabaseUserAction } from "@/lib/actions/database/delete-database-user-action";
import { resetDatabaseUserPasswordAction } from "@/lib/actions/database/reset-database-user-password-action";
import type { AccountDatabasesJson } from "@/lib/query/use-databases";
import { STATE_LABELS } from "./format";
import { PasswordOnce } from "./password-once";

type UserJson = AccountDatabasesJson["users"][number];

/** The account's database users: state, databases they reach; reset a password, delete. */
export function DatabaseUsersTable({
  overview,
  canManage,
  onChanged,
}: {
  overview: AccountDatabasesJson;
  canManage: boolean;
  onChanged: () => void;
}) {
  const toast = useToast();
  const [deleting, setDeleting] = useState<UserJson | null>(null);
  const [resetting, setResetting] = useState<UserJson | null>(null);
  const [newPassword, setNewPassword] = useState<{ user: string; password: string } | null>(null);

  return (
    <>
      <Table label="Database users">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Server</Th>
            <Th>State</Th>
            <Th>Databases</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <TBody>
          {overview.users.map((user) => {
            const state = STATE_LABELS[user.state] ?? { label: user.state, tone: "neutral" as const };
            return (
              <tr key={user.id} data-testid="database-user-row" data-name={user.name}>
                <Td className="font-mono text-sm font-medium text-zinc-900 dark:text-zinc-100">
                  {user.name}
                </Td>
                <Td>{user.serverName}</Td>
                <Td>
                  <Badge tone={state.tone} data-testid="database-user-state" data-phase={user.state}>
                    {state.label}
                  </Badge>
                  {user.statusMessage && user.state !== "READY" ? (
                    <p className="mt-1 max-w-xs text-xs text-zinc-500 dark:text-zinc-400">
                      {user.statusMessage}
                    </p>
                  ) : null}
                </Td>
                <Td className="font-mono text-sm">
                  {user.databases.length === 0 ? "—" : user.databases.map((d) => d.name).join(", ")}
                </Td>
                <Td className="text-right whitespace-nowrap">
                  {canManage && user.state !== "DELETING" ? (
                    <>
                      <Button size="sm" variant="ghost" onClick={() => setResetting(user)}>
                        Reset password
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setDeleting(user)}>
                        Delete
                      </Button>
                    </>
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </TBody>
      </Table>
      <ConfirmDialog
        open={resetting !== null}
        onClose={() => setResetting(null)}
        title={`Reset the password of ${resetting?.name ?? "the user"}?`}
        description="A new password is generated and shown once. Whatever uses the old one (sites given this user get the new one) stops connecting."
        confirmLabel="Reset password"
        onConfirm={async () => {
          if (!resetting) return null;
          const result = await resetDatabaseUserPasswordAction({ databaseUserId: resetting.id });
          if (!result.ok) return result.message;
          setNewPassword({ user: result.data.user.name, password: result.data.password });
          onChanged();
          return null;
        }}
      />
      <Dialog open={newPassword !== null} onClose={() => setNewPassword(null)} title="New password">
        {newPassword ? (
          <div className="space-y-4">
            <PasswordOnce user={newPassword.user} password={newPassword.password} />
            <div className="flex justify-end">
              <Button onClick={() => setNewPassword(null)}>Done</Button>
            </div>
          </div>
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? "the user"}?`}
        description="The user is dropped from the server with its access. Tables it created stay in their databases."
        confirmLabel="Delete user"
        danger
        onConfirm={async () => {
          if (!deleting) return null;
          const result = await deleteDatabaseUserAction({ databaseUserId: deleting.id });
          if (!result.ok) return result.message;
          toast.show({ tone: "success", title: `${deleting.name} is being deleted` });
          onChanged();
          return null;
        }}
      />
    </>
  );
}
