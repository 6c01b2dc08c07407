import { canManageChildAccounts } from "@/lib/authz/permissions";
import { authorizeAccount, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError, type AppErrorCode, toAppError } from "@/lib/errors";
import type { ChildAccountView } from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";

/** What happened to one account of a bulk change. */
export type BulkAccountResult =
  | { accountId: string; name: string; ok: true; account: ChildAccountView }
  | { accountId: string; name: string; ok: false; code: AppErrorCode; message: string };

export interface BulkAccountOutcome {
  results: BulkAccountResult[];
  /** How many accounts were changed, and how many were not. */
  succeeded: number;
  failed: number;
}

/** The caller may manage the accounts below `parentId` (NOT_FOUND / FORBIDDEN otherwise). */
export async function authorizeBulkChange(options: {
  actor: Actor;
  parentId: string;
  action: string;
}): Promise<void> {
  await authorizeAccount({
    actor: options.actor,
    accountId: options.parentId,
    permission: canManageChildAccounts,
    action: options.action,
  });
}

/**
 * The accounts a bulk change names, each below `parentId` (at any depth) and reached by the caller
 * (authorizeBulkChange first). One id that is not such an account makes the whole request NOT_FOUND
 * before anything is written: naming accounts outside one's reach is not a partial failure, and the
 * answer is the same whether the id exists elsewhere or not at all.
 */
export async function bulkAccountTargets(options: {
  actor: Actor;
  parentId: string;
  accountIds: readonly string[];
}): Promise<{ id: string; name: string }[]> {
  const { actor, parentId, accountIds } = options;
  const parent = await prisma.account.findUnique({ where: { id: parentId }, select: { path: true } });
  if (!parent) throw new AppError("NOT_FOUND", "Account not found.");
  const found = await prisma.account.findMany({
    where: {
      AND: [
        { id: { in: [...accountIds] } },
        { path: { startsWith: parent.path }, id: { not: parentId } },
        await reachableAccountWhere(actor),
      ],
    },
    select: { id: true, name: true },
  });
  if (found.length !== accountIds.length) {
    const message = "Account not found: select accounts from the list.";
    throw new AppError("NOT_FOUND", message, { accountIds: message });
  }
  const byId = new Map(found.map((account) => [account.id, account]));
  return accountIds.flatMap((id) => {
    const account = byId.get(id);
    return account ? [account] : [];
  });
}

/**
 * Runs `change` on each account in turn, each in its own transaction (its own authorization and
 * audit-log row), and reports per account: one that cannot be changed (already suspended, being
 * terminated) does not hold back the others.
 */
export async function applyToEach(
  targets: readonly { id: string; name: string }[],
  change: (accountId: string) => Promise<ChildAccountView>,
  context: Record<string, unknown>,
): Promise<BulkAccountOutcome> {
  const results: BulkAccountResult[] = [];
  for (const target of targets) {
    try {
      const account = await change(target.id);
      results.push({ accountId: target.id, name: target.name, ok: true, account });
    } catch (err) {
      // toAppError logs what is not an AppError, with this context.
      const error = toAppError(err, { ...context, accountId: target.id });
      results.push({
        accountId: target.id,
        name: target.name,
        ok: false,
        code: error.code,
        message: error.message,
      });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { results, succeeded, failed: results.length - succeeded };
}
