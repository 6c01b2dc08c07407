import { log } from "@/lib/log";
import {
  applyToEach,
  type BulkAccountOutcome,
  authorizeBulkChange,
  bulkAccountTargets,
} from "@/lib/services/account/bulk-account-targets";
import { unsuspendAccount } from "@/lib/services/account/unsuspend-account";
import type { Actor } from "@/lib/services/actor";
import { bulkUnsuspendAccountsSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";

/** Lifts the suspension of several accounts below `parentId`, each as unsuspendAccount does, reported per account. */
export async function bulkUnsuspendAccounts(options: {
  actor: Actor;
  parentId: string;
  /** Untrusted: { accountIds }. */
  input: unknown;
}): Promise<BulkAccountOutcome> {
  const { actor, parentId } = options;
  await authorizeBulkChange({ actor, parentId, action: "unsuspend accounts" });
  const { accountIds } = parseInput(bulkUnsuspendAccountsSchema, options.input);
  const targets = await bulkAccountTargets({ actor, parentId, accountIds });
  const outcome = await applyToEach(targets, (accountId) => unsuspendAccount({ actor, accountId }), {
    service: "bulkUnsuspendAccounts",
    userId: actor.userId,
  });
  log.info("accounts unsuspended in bulk", {
    event: "account.bulk_unsuspended",
    parentId,
    succeeded: outcome.succeeded,
    failed: outcome.failed,
    userId: actor.userId,
  });
  return outcome;
}
