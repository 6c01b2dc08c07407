import type { ApiToken, Role } from "@/lib/generated/prisma/client";
import type { ShownActor } from "@/lib/services/audit-log/actor-visibility";

export type ApiTokenState = "active" | "expired";

/** An API token as listed: never its secret or hash. */
export interface ApiTokenView {
  id: string;
  accountId: string;
  name: string;
  role: Role;
  /** "kubeconfig" for tokens minted for a downloaded kubeconfig. */
  purpose: string | null;
  /** Who created it (and whom it acts for), shown as the audit log shows actors. */
  createdBy: ShownActor | null;
  /** Created by the caller. */
  mine: boolean;
  state: ApiTokenState;
  createdAt: string;
  /** Null: never expires. */
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

export function apiTokenState(token: Pick<ApiToken, "expiresAt">, now: Date = new Date()): ApiTokenState {
  return token.expiresAt && token.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

export function toApiTokenView(
  token: ApiToken,
  options: { createdBy: ShownActor | null; viewerUserId: string; now?: Date },
): ApiTokenView {
  return {
    id: token.id,
    accountId: token.accountId,
    name: token.name,
    role: token.role,
    purpose: token.purpose,
    createdBy: options.createdBy,
    mine: token.userId === options.viewerUserId,
    state: apiTokenState(token, options.now),
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    // Provider staff's addresses stay hidden, as in the audit log.
    lastUsedIp: options.createdBy?.id ? token.lastUsedIp : null,
  };
}
