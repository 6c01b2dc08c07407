import { canViewPlatformHealth } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { DatabaseEngine, SitePhase } from "@/lib/generated/prisma/enums";
import { assessReconciler, type ReconcilerLiveness } from "@/lib/health/reconciler-liveness";
import { loadKubeConfig } from "@/lib/k8s/client";
import { type ClusterProbe, probeCluster } from "@/lib/k8s/cluster-probe";
import type { Actor } from "@/lib/services/actor";
import { toDatabaseServerView } from "@/lib/services/database/database-view";
import { degradedCondition, parseConditions } from "@/lib/views";

export const PLATFORM_HEALTH_NOT_FOUND = "Platform health not found.";

/** The degraded sites listed by name; the count says how many there are in all. */
export const DEGRADED_SITES_SHOWN = 50;

export const SITE_PHASES: readonly SitePhase[] = [
  "PROVISIONING",
  "RUNNING",
  "DEGRADED",
  "SUSPENDED",
  "DELETING",
];

export interface DegradedSiteView {
  id: string;
  name: string;
  accountSlug: string;
  accountName: string;
  /** The Degraded condition's reason and message (the reconciler's words), when it has one. */
  reason: string | null;
  message: string | null;
  /** When it became degraded, as far as the condition says. */
  since: string | null;
}

export interface DatabaseServerHealthView {
  id: string;
  name: string;
  engine: DatabaseEngine;
  enabled: boolean;
  /** As the reconciler last found it; null until its first check. */
  reachable: boolean | null;
  statusMessage: string | null;
  lastCheckedAt: string | null;
}

export interface PlatformHealthView {
  checkedAt: string;
  reconciler: ReconcilerLiveness;
  cluster: ClusterProbe;
  sites: { total: number; byPhase: Record<SitePhase, number> };
  degradedSites: DegradedSiteView[];
  databaseServers: DatabaseServerHealthView[];
}

/** Several operators with the page open share one probe of the API server for this long. */
const CLUSTER_PROBE_REUSE_MS = 3_000;
let lastProbe: { at: number; result: Promise<ClusterProbe> } | undefined;

function kubeConfigOrNull() {
  try {
    return loadKubeConfig();
  } catch {
    return null;
  }
}

/** The API server as this web process reaches it, asked at most every few seconds. */
export function clusterReachability(now: number = Date.now()): Promise<ClusterProbe> {
  if (lastProbe && now - lastProbe.at < CLUSTER_PROBE_REUSE_MS) return lastProbe.result;
  const result = probeCluster(kubeConfigOrNull());
  lastProbe = { at: now, result };
  return result;
}

/**
 * What the platform operator's health page shows: whether the reconciler is up and leading (from
 * its heartbeat), whether this process reaches the cluster, the sites by phase and the degraded
 * ones with the reconciler's reasons, and the database servers as the reconciler last found them.
 * Sites are read through the operator's reach like every other query (which is everything).
 */
export async function getPlatformHealth(options: {
  actor: Actor;
  now?: Date;
  /** Replaces the probe of the API server (tests). */
  probe?: () => Promise<ClusterProbe>;
}): Promise<PlatformHealthView> {
  const { actor } = options;
  await authorizePlatformOperator({
    actor,
    permission: canViewPlatformHealth,
    action: "view the platform's health",
    notFound: PLATFORM_HEALTH_NOT_FOUND,
  });
  const now = options.now ?? new Date();
  const reachable = await reachableAccountWhere(actor);
  const live = { account: reachable, deletionRequestedAt: null };
  const [cluster, heartbeats, phases, deleting, degraded, servers] = await Promise.all([
    (options.probe ?? clusterReachability)(),
    prisma.reconcilerHeartbeat.findMany({ orderBy: { beatAt: "desc" }, take: 20 }),
    prisma.site.groupBy({ by: ["phase"], where: live, _count: { _all: true } }),
    prisma.site.count({ where: { account: reachable, deletionRequestedAt: { not: null } } }),
    prisma.site.findMany({
      where: { ...live, phase: "DEGRADED" },
      select: {
        id: true,
        name: true,
        conditions: true,
        account: { select: { slug: true, name: true } },
      },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: DEGRADED_SITES_SHOWN,
    }),
    prisma.databaseServer.findMany({
      include: { _count: { select: { databases: true, users: true } } },
      orderBy: { name: "asc" },
    }),
  ]);
  const byPhase = Object.fromEntries(SITE_PHASES.map((phase) => [phase, 0])) as Record<SitePhase, number>;
  for (const group of phases) byPhase[group.phase] = group._count._all;
  // A site whose deletion was asked for is deleting, whatever the reconciler last reported.
  byPhase.DELETING += deleting;
  return {
    checkedAt: now.toISOString(),
    reconciler: assessReconciler(heartbeats, now),
    cluster,
    sites: { total: Object.values(byPhase).reduce((a, b) => a + b, 0), byPhase },
    degradedSites: degraded.map((site) => {
      const condition = degradedCondition(parseConditions(site.conditions, { siteId: site.id }));
      return {
        id: site.id,
        name: site.name,
        accountSlug: site.account.slug,
        accountName: site.account.name,
        reason: condition?.reason ?? null,
        message: condition?.message ?? null,
        since: condition?.lastTransitionTime ?? null,
      };
    }),
    databaseServers: servers.map((row) => {
      const view = toDatabaseServerView(row);
      return {
        id: view.id,
        name: view.name,
        engine: view.engine,
        enabled: view.enabled,
        reachable: view.reachable,
        statusMessage: view.statusMessage,
        lastCheckedAt: view.lastCheckedAt,
      };
    }),
  };
}
