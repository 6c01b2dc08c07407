import type { KubernetesObject } from "@kubernetes/client-node";
import type { SitePhase } from "@/lib/generated/prisma/enums";
import {
  ACCOUNT_LABEL,
  accountNamespace,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from "@/lib/k8s/manifests/labels";
import type { ReconcileContext } from "./context";
import type { ConditionInput } from "./conditions";

export const NAMESPACE_OWNED_ELSEWHERE = "NamespaceOwnedElsewhere";

export type NamespaceOwnership =
  | { owner: "none" }
  | { owner: "this-account"; namespace: KubernetesObject }
  /** Exists without Sitepod's labels for this account: never applied to, written into or deleted. */
  | { owner: "someone-else"; message: string };

/** Sitepod created the namespace for this account: both of its labels say so. */
export function isAccountNamespace(namespace: KubernetesObject, accountId: string): boolean {
  const labels = namespace.metadata?.labels ?? {};
  return labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && labels[ACCOUNT_LABEL] === accountId;
}

export function ownedElsewhereMessage(name: string): string {
  return `Namespace ${name} already exists and is not this account's (it lacks Sitepod's labels for it), so Sitepod leaves it untouched. A cluster administrator must delete it, or move what it holds elsewhere, before this account's sites can run.`;
}

/**
 * Whose the account's namespace `sp-<slug>` is. The informers hold only namespaces labelled as
 * Sitepod's, so one missing from the cache is read live: a namespace someone else created must
 * not be taken over by a server-side apply that would only add Sitepod's labels to it.
 */
export async function namespaceOwnership(
  ctx: ReconcileContext,
  account: { id: string; slug: string },
): Promise<NamespaceOwnership> {
  const name = accountNamespace(account.slug);
  const namespace =
    ctx.observed.get("Namespace", name) ??
    (await ctx.writer.read({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
  if (!namespace) return { owner: "none" };
  if (isAccountNamespace(namespace, account.id)) return { owner: "this-account", namespace };
  return { owner: "someone-else", message: ownedElsewhereMessage(name) };
}

/** A site whose account's namespace is someone else's: nothing of it is applied there. */
export function namespaceOwnedElsewhereStatus(message: string): {
  phase: SitePhase;
  conditions: ConditionInput[];
} {
  return {
    phase: "DEGRADED",
    conditions: [
      { type: "Ready", status: "False", reason: NAMESPACE_OWNED_ELSEWHERE, message },
      { type: "Progressing", status: "False", reason: NAMESPACE_OWNED_ELSEWHERE, message },
      { type: "Degraded", status: "True", reason: NAMESPACE_OWNED_ELSEWHERE, message },
    ],
  };
}
