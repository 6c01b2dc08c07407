/**
 * Cluster events that wake no pass. The informers see every change of every object Sitepod
 * manages, and most wake the site or account the object belongs to; some only report what no
 * pass reads.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { type ObservedEvent, type ObservedObject, onlyStatusChanged } from "@/lib/k8s/informers";
import type { ManagedKind } from "@/lib/k8s/manifests/objects";

/**
 * Kinds whose status no pass reads, once the kinds that own objects (a cron job owns its CronJob,
 * whose last runs it reads) have had their event: WordPress's wp-cron CronJob, whose status
 * changes with each of its runs every five minutes, and an account's ResourceQuota, whose usage
 * changes with every pod. An update of their status alone wakes nothing: at 5,000 WordPress sites
 * that would be dozens of passes a second finding nothing to do.
 */
const STATUS_UNREAD: ReadonlySet<ManagedKind> = new Set<ManagedKind>(["CronJob", "ResourceQuota"]);

/** Whether a cluster event (past the owning kinds') is one no pass needs: see STATUS_UNREAD. */
export function wakesNothing(
  event: ObservedEvent,
  observed: ObservedObject,
  /** The version the update replaces, read (unpacked from the cache) only for these kinds. */
  previous?: () => KubernetesObject,
): boolean {
  return (
    event === "update" &&
    previous !== undefined &&
    STATUS_UNREAD.has(observed.kind) &&
    onlyStatusChanged(previous(), observed.object)
  );
}
