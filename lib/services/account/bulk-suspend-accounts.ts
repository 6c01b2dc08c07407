import { log } from "@/lib/log";
import {
  applyToEach,
  type BulkAccountOutcome,
  authorizeBulkChange,
  bulkAccountTargets,
} from "@/lib/services/account/bulk-account-targets";
import { suspendAccount } from "@/lib/services/account/suspend-account";
import type { Actor } from "@/lib/services/actor";
import { bulkSuspendAccountsSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * Suspends several accounts below `parentId` with one reason: each exactly as suspendAccount does
 * it (authorized as its provider, one transaction, one audit-log row), reported per account.
 */
export async function bulkSuspendAccounts(options: {
  actor: Actor;
  parentId: string;
  /** Untrusted: { accountIds, reason }. */
  input: unknown;
}): Promise<BulkAccountOutcome> {
  const { actor, parentId } = options;
  await authorizeBulkChange({ actor, parentId, action: "suspend accounts" });
  const { accountIds, reason } = parseInput(bulkSuspendAccountsSchema, options.input);
  const targets = await bulkAccountTargets({ actor, parentId, accountIds });
  const outcome = await applyToEach(
    targets,
    (accountId) => suspendAccount({ actor, accountId, input: { reason } }),
    { service: "bulkSuspendAccounts", userId: actor.userId },
  );
  log.info("accounts suspended in bulk", {
    event: "account.bulk_suspended",
    parentId,
    succeeded: outcome.succeeded,
    failed: outcome.failed,
    userId: actor.userId,
  });
  return outcome;
}
