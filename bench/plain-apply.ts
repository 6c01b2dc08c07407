/**
 * The baseline the reconciler benchmark compares Sitepod with: a plain server-side-apply loop of
 * the same objects (rendered by the same builders from the same rows), with the same concurrency,
 * and no database, change feed, informers or status writes. It applies each account's namespace
 * objects, then each site's root and children in order (a child needs the root's uid), and waits
 * until every site's Deployment is available and its install Job complete: what RUNNING means.
 *
 * As a chart would, it applies a WordPress site's Deployment and its cron together with the
 * install Job (a hook). Sitepod starts the Deployment next to the install too (the bench's plan has
 * room for both pods), and its cron once the install succeeded; both reach the same end.
 */
import { AppsV1Api, BatchV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { ClusterWriter } from "@/lib/k8s/apply";
import { buildAccountObjects } from "@/lib/k8s/manifests/account";
import { MANAGED_SELECTOR, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { buildSiteChildren, buildSiteRoot } from "@/lib/k8s/manifests/site";
import type { ClusterSettings } from "@/lib/k8s/manifests/types";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { eventually } from "@/lib/reconciler/test-support";
import { loadRuntimeCatalog } from "@/lib/services/runtime/runtime-catalog";
import { type SiteDefaults, siteForReconcileInclude, toManifestSpec } from "@/lib/reconciler/site-spec";

export interface PlainLoopResult {
  /** From the first apply to every Deployment available and every install Job complete. */
  ms: number;
  applies: number;
  /** Per site: ms from the loop's start to its Deployment available. */
  readyAfterMs: number[];
}

/** Runs `task` over `items` with at most `concurrency` at once. */
async function pool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function runPlainApplyLoop(options: {
  prisma: PrismaClient;
  kc: KubeConfig;
  writer: ClusterWriter;
  settings: ClusterSettings;
  defaults: SiteDefaults;
  siteIds: string[];
  concurrency: number;
  timeoutMs: number;
}): Promise<PlainLoopResult> {
  const { prisma, writer, settings, defaults } = options;
  // Rendering reads the rows once up front: the loop times the cluster's side only.
  const catalog = await loadRuntimeCatalog(prisma);
  const sites = await prisma.site.findMany({
    where: { id: { in: options.siteIds } },
    include: siteForReconcileInclude,
  });
  const specs = sites.map((s) => toManifestSpec(s, defaults, catalog));
  const accounts = new Map(specs.map((s) => [s.accountId, s.accountSlug]));

  let applies = 0;
  const apply = async (obj: Parameters<ClusterWriter["apply"]>[0]) => {
    applies++;
    return writer.apply(obj);
  };
  const started = Date.now();
  await pool([...accounts], options.concurrency, async ([accountId, accountSlug]) => {
    for (const obj of buildAccountObjects(
      { accountId, accountSlug },
      { gatewayPods: settings.gatewayPods, databaseHost: defaults.databaseHost },
    )) {
      await apply(obj);
    }
  });
  await pool(specs, options.concurrency, async (spec) => {
    const root = await apply(buildSiteRoot(spec));
    const uid = root.metadata?.uid;
    if (!uid) throw new Error(`site ${spec.name}: the root object came back without a uid`);
    const installed = spec.wordpress ? { ...spec, wordpress: { ...spec.wordpress, completed: true } } : spec;
    const running = buildSiteChildren(installed, settings, { uid });
    const install = buildSiteChildren(spec, settings, { uid }).filter(
      (o) => !running.some((r) => r.kind === o.kind && r.metadata.name === o.metadata.name),
    );
    for (const child of [...running, ...install]) await apply(child);
  });

  const apps = options.kc.makeApiClient(AppsV1Api);
  const batch = options.kc.makeApiClient(BatchV1Api);
  const siteIds = new Set(specs.map((s) => s.siteId));
  const readyAt = new Map<string, number>();
  await eventually(
    `${specs.length} plainly applied sites to be available`,
    async () => {
      const [deployments, jobs] = await Promise.all([
        apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR }),
        batch.listJobForAllNamespaces({ labelSelector: MANAGED_SELECTOR }),
      ]);
      const pendingJobs = new Set(
        jobs.items
          .filter((j) => !(j.status?.succeeded && j.status.succeeded > 0))
          .map((j) => j.metadata?.labels?.[SITE_LABEL] ?? ""),
      );
      for (const d of deployments.items) {
        const site = d.metadata?.labels?.[SITE_LABEL] ?? "";
        if (!siteIds.has(site) || readyAt.has(site) || pendingJobs.has(site)) continue;
        if ((d.status?.availableReplicas ?? 0) >= (d.spec?.replicas ?? 1))
          readyAt.set(site, Date.now() - started);
      }
      return readyAt.size === specs.length ? true : undefined;
    },
    options.timeoutMs,
  );
  return { ms: Date.now() - started, applies, readyAfterMs: [...readyAt.values()].sort((a, b) => a - b) };
}
