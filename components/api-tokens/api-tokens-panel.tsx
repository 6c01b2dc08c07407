"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { CreateApiTokenDialog } from "@/components/api-tokens/create-api-token-dialog";
import { DownloadKubeconfigDialog } from "@/components/api-tokens/download-kubeconfig-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { DownloadIcon, KeyIcon, PlusIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { revokeApiTokenAction } from "@/lib/actions/api-token/revoke-api-token-action";
import type { AccountJson, Jsonify } from "@/lib/api/json";
import { ROLE_LABELS } from "@/lib/glossary";
import type { ApiTokenView } from "@/lib/services/api-token/api-token-view";
import type { ApiTokensView } from "@/lib/services/api-token/list-api-tokens";
import { TokenDate } from "./token-date";

type Token = Jsonify<ApiTokenView>;

const MUTED = "text-zinc-500 dark:text-zinc-400";

/**
 * The account's API tokens (the caller's own, or everyone's for owners and admins), create and revoke;
 * a kubeconfig with a fresh token when the panel knows where the API server is (`kubeconfig`).
 */
export function ApiTokensPanel({
  account,
  initial,
  kubeconfig,
}: {
  account: AccountJson;
  initial: Jsonify<ApiTokensView>;
  kubeconfig: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const { tokens } = initial;
  const createButtons = (
    <div className="flex flex-wrap gap-2">
      {kubeconfig ? (
        <Button variant="secondary" onClick={() => setDownloading(true)}>
          <DownloadIcon className="size-4" />
          Download kubeconfig
        </Button>
      ) : null}
      <Button onClick={() => setCreating(true)}>
        <PlusIcon className="size-4" />
        Create token
      </Button>
    </div>
  );

  return (
    <>
      <Card>
        <CardHeader
          title="Tokens"
          description={
            initial.everyone
              ? `Every member's tokens on ${account.name}. Requests with a revoked or expired token are refused.`
              : `Your tokens on ${account.name}. Requests with a revoked or expired token are refused.`
          }
          actions={tokens.length > 0 ? createButtons : undefined}
        />
        {tokens.length === 0 ? (
          <EmptyState
            icon={<KeyIcon className="size-6" />}
            title="No API tokens yet"
            description="Create a token for a script, a CI job or a tool: it sends the token as Authorization: Bearer with each request to the REST API."
            action={createButtons}
          />
        ) : (
          <Table label="API tokens" stack>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Role</Th>
                <Th>Created</Th>
                <Th>Expires</Th>
                <Th>Last used</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <TBody>
              {tokens.map((token) => (
                <tr key={token.id} data-testid="api-token-row" data-name={token.name}>
                  <Td cell="primary" className="font-medium text-zinc-900 dark:text-zinc-100">
                    <span className="break-all">{token.name}</span>
                    {token.purpose === "kubeconfig" ? (
                      <Badge className="ml-2" tone="info">
                        kubeconfig
                      </Badge>
                    ) : null}
                    <div className={`font-mono text-xs font-normal ${MUTED}`}>sp_{token.id}_…</div>
                  </Td>
                  <Td label="Role">
                    <Badge tone={token.role === "OWNER" || token.role === "ADMIN" ? "warning" : "neutral"}>
                      {ROLE_LABELS[token.role]}
                    </Badge>
                  </Td>
                  <Td label="Created" className={MUTED}>
                    <TokenDate iso={token.createdAt} />
                    <span className="block text-xs">
                      by {token.createdBy?.name ?? "a former member"}
                      {token.mine ? " (you)" : ""}
                    </span>
                  </Td>
                  <Td label="Expires" className={MUTED} data-testid="api-token-expiry">
                    {token.state === "expired" ? (
                      <Badge tone="danger">Expired</Badge>
                    ) : token.expiresAt ? (
                      <TokenDate iso={token.expiresAt} />
                    ) : (
                      "Never"
                    )}
                  </Td>
                  <Td label="Last used" className={MUTED} data-testid="api-token-last-used">
                    {token.lastUsedAt ? (
                      <TokenDate iso={token.lastUsedAt} withTime after={token.lastUsedIp ?? undefined} />
                    ) : (
                      "Never"
                    )}
                  </Td>
                  <Td cell="actions" className="text-right">
                    <Button size="sm" variant="ghost" onClick={() => setRevoking(token)}>
                      Revoke
                    </Button>
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <CreateApiTokenDialog
        account={account}
        ownRole={initial.role}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => router.refresh()}
      />
      <DownloadKubeconfigDialog
        account={account}
        ownRole={initial.role}
        open={downloading}
        onClose={() => setDownloading(false)}
        onDownloaded={() => router.refresh()}
      />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? ""}?`}
        description="Scripts and tools using this token are refused from their next request (401, TOKEN_REVOKED). This cannot be undone: a revoked token never works again."
        confirmLabel="Revoke token"
        danger
        onConfirm={async () => {
          if (!revoking) return null;
          const result = await revokeApiTokenAction({ tokenId: revoking.id });
          if (!result.ok) return result.message;
          toast.show({ tone: "success", title: `${revoking.name} revoked` });
          router.refresh();
          return null;
        }}
      />
    </>
  );
}
