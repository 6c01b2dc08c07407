/**
 * The periodic resync: every object of every kind is queued again, and objects in the cluster that
 * carry the labels of a site of ours that no longer exists are queued as that site, so its pass
 * prunes them.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ObservedState } from "@/lib/k8s/informers";
import { ACCOUNT_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { type WorkKey, workKey } from "./change-feed";
import type { KindReconciler } from "./kinds";

export interface ResyncPlan {
  keys: WorkKey[];
  /** Sites whose objects remain though their rows are gone: logged, then pruned by their pass. */
  orphans: Array<{ siteId: string; accountId: string }>;
}

export async function planResync(
  prisma: PrismaClient,
  observed: ObservedState,
  kinds: readonly KindReconciler[],
): Promise<ResyncPlan> {
  const keys: WorkKey[] = [];
  // Accounts first, each before the accounts under it (a path sorts before its extensions): an
  // account's pass makes the namespace, ServiceAccount and policies its sites wait for, so on a
  // fresh start the sites' first passes find them instead of each waiting for a second pass.
  for (const a of await prisma.account.findMany({ select: { id: true }, orderBy: { path: "asc" } }))
    keys.push(workKey("account", a.id));
  const sites = await prisma.site.findMany({ select: { id: true } });
  const known = new Set(sites.map((s) => s.id));
  for (const id of known) keys.push(workKey("site", id));
  for (const kind of kinds) for (const id of await kind.listIds(prisma)) keys.push(workKey(kind.key, id));

  const strays = new Map<string, string>();
  for (const siteId of observed.labelValues(SITE_LABEL)) {
    if (known.has(siteId)) continue;
    const accountId = observed
      .labelled(SITE_LABEL, siteId)
      .map((o) => o.object.metadata?.labels?.[ACCOUNT_LABEL])
      .find((id) => id !== undefined);
    if (accountId) strays.set(siteId, accountId);
  }
  const orphans: ResyncPlan["orphans"] = [];
  if (strays.size > 0) {
    // Only our own accounts' leftovers: another installation's objects are not ours to prune.
    const accounts = await prisma.account.findMany({
      where: { id: { in: [...new Set(strays.values())] } },
      select: { id: true },
    });
    const ours = new Set(accounts.map((a) => a.id));
    for (const [siteId, accountId] of strays) {
      if (!ours.has(accountId)) continue;
      orphans.push({ siteId, accountId });
      keys.push(workKey("site", siteId));
    }
  }
  return { keys, orphans };
}
