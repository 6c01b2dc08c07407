import { requireInteractive } from "@/lib/authz/interactive";
import { canCreateApiTokens, canGrantRole } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { insertApiToken } from "@/lib/services/api-token/create-api-token";
import { KUBECONFIG_TOKEN_DAYS, mintKubeconfigTokenSchema } from "@/lib/validation/api-token";
import { parseInput } from "@/lib/validation/parse-input";

export interface KubeconfigToken {
  /** The bearer token for the kubeconfig's user: in this answer only. */
  token: string;
  tokenId: string;
  /** The account the token is for; its namespace is what the kubeconfig's context selects. */
  accountId: string;
  accountSlug: string;
  role: Role;
  /** Null: never expires (asked for with expiresInDays: null). */
  expiresAt: string | null;
}

/**
 * A fresh API token for a downloaded kubeconfig ("Download kubeconfig" on an account): named
 * "kubeconfig <UTC time>", purpose "kubeconfig", expiring after KUBECONFIG_TOKEN_DAYS unless another
 * expiry is asked for (the choices of a named token), with the caller's own role on the account
 * unless a weaker `role` is asked for. The same rules and audit
 * line as createApiToken; listed and revoked with the other tokens. The kubeconfig itself (server
 * URL, CA, context) is built by the API server's module, which calls this.
 */
export async function mintKubeconfigToken(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { role?, expiresInDays? }. */
  input?: unknown;
  now?: Date;
}): Promise<KubeconfigToken> {
  const { actor, accountId } = options;
  requireInteractive(actor, "create API tokens");
  const ownRole = await authorizeAccount({
    actor,
    accountId,
    permission: canCreateApiTokens,
    action: "create API tokens",
  });
  const input = parseInput(mintKubeconfigTokenSchema, options.input ?? {});
  const role = input.role ?? ownRole;
  if (!canGrantRole(ownRole, role)) {
    const message = `A token's role can be at most yours (${ownRole.toLowerCase()}).`;
    throw new AppError("FORBIDDEN", message, { role: message });
  }
  const now = options.now ?? new Date();
  const days = input.expiresInDays === undefined ? KUBECONFIG_TOKEN_DAYS : input.expiresInDays;
  const expiresAt = days === null ? null : new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
  const name = `kubeconfig ${now.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  const { row, secret, slug } = await prisma.$transaction(async (tx) => {
    const inserted = await insertApiToken(tx, {
      actor,
      accountId,
      name,
      role,
      expiresAt,
      purpose: "kubeconfig",
      now,
    });
    const account = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { slug: true } });
    return { ...inserted, slug: account.slug };
  });
  log.info("kubeconfig token minted", {
    event: "api_token.kubeconfig_minted",
    tokenId: row.id,
    accountId,
    userId: actor.userId,
    role,
  });
  return {
    token: secret,
    tokenId: row.id,
    accountId,
    accountSlug: slug,
    role,
    expiresAt: expiresAt?.toISOString() ?? null,
  };
}
