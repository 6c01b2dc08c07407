/**
 * The reconcilers of Sitepod's kinds beyond sites and accounts (a cron job, a database, a domain's
 * certificate status): each one plugs into the same queue, change feed, informers and resync by
 * describing itself here. Sites and accounts are built into lib/reconciler/reconciler.ts, since
 * they wake each other.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ObservedObject } from "@/lib/k8s/informers";
import type { ChangeRow } from "./change-feed";
import type { ReconcileContext } from "./context";
import { cronJobKind } from "./reconcile-cron-job";

export interface KindResult {
  /** For logs and hooks, e.g. "synced", "progressing", "deleted". */
  outcome: string;
  /** Come back after this long (waiting for something no event announces). */
  requeueAfterMs?: number;
  /** Sites whose rendering this pass changed (a cron job that a site's objects include). */
  wakeSites?: string[];
  /** Further work this pass unblocks, as work keys (a user now exists: its grants can be applied). */
  wake?: string[];
}

export interface KindReconciler {
  /** The work-key kind, lower case: "cronjob" queues "cronjob/<id>". */
  key: string;
  /** Change-log kinds whose rows are this kind's objects, e.g. ["CronJob"]. */
  changeKinds: readonly string[];
  /** Every object's id, for the periodic resync. */
  listIds(prisma: PrismaClient): Promise<string[]>;
  /** The object a watched Kubernetes object belongs to (read from its labels), if it is this kind's. */
  ownerOf?(observed: ObservedObject): string | undefined;
  /**
   * Objects of this kind rendered from the given sites or accounts (a cron job runs in its site's
   * image and stops while its account is suspended): queued when a Site or Account change comes.
   */
  dependentsOf?(
    prisma: PrismaClient,
    changed: { siteIds: string[]; accountIds: string[] },
  ): Promise<string[]>;
  /**
   * Work a batch of change-log rows makes for this kind beyond its own rows (routed by
   * `changeKinds`): a grant's row wakes its database. STATUS rows are never passed.
   */
  workOfChanges?(prisma: PrismaClient, rows: readonly ChangeRow[]): Promise<string[]>;
  /** One pass over one object; throws to be retried with backoff. */
  reconcile(ctx: ReconcileContext, id: string): Promise<KindResult>;
}

/** The kinds the reconciler runs besides sites and accounts. */
export const KINDS: readonly KindReconciler[] = [cronJobKind];
