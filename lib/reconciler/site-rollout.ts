/**
 * How a site's pods are replaced (SiteManifestSpec.rollout). A rolling update runs the new pod
 * next to the old one for a while: the namespace's quota must have room for one more pod of the
 * site, else it refuses the new pod and the rollout never finishes. Without that room the site is
 * recreated instead (a short outage, but it converges).
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { effectivePlanLimits, type PlanResourceLimits } from "@/lib/k8s/manifests/plan-quota";
import type { SiteManifestSpec } from "@/lib/k8s/manifests/types";
import {
  podFootprint,
  type SiteFootprint,
  type SiteSizing,
  siteContainerResources,
} from "@/lib/quota/site-footprint";
import { isBelowAllotment } from "@/lib/services/quota/allotment-above";
import { parentPathOf } from "@/lib/services/quota/assert-allotments";
import { measureSites } from "@/lib/services/quota/measure-usage";
import { type ReconcileContext, sharedRead } from "./context";

/** Pure: whether one more pod of `site` fits next to what the account's sites take now. */
export function chooseRollout(
  limits: PlanResourceLimits,
  used: Pick<SiteFootprint, "cpuMillicores" | "memoryMiB">,
  site: Pick<SiteSizing, "cpuMillicores" | "memoryMiB">,
): SiteManifestSpec["rollout"] {
  const surge = podFootprint(siteContainerResources(site));
  const fits =
    used.cpuMillicores + surge.cpuMillicores <= limits.cpuMillicores &&
    used.memoryMiB + surge.memoryMiB <= limits.memoryMiB;
  return fits ? "RollingUpdate" : "Recreate";
}

/** Reads the account's plan and its live sites' footprints, then chooseRollout. */
export async function loadRollout(
  ctx: Pick<ReconcileContext, "prisma" | "shared">,
  site: SiteSizing & { accountId: string },
): Promise<SiteManifestSpec["rollout"]> {
  // The account's room, shared by the passes over its sites for a moment (a burst of them reads
  // it once); a site's own size comes from its row.
  const room = await sharedRead(ctx, `room/${site.accountId}`, () => loadRoom(ctx.prisma, site.accountId));
  return room ? chooseRollout(room.limits, room.used, site) : "Recreate";
}

async function loadRoom(
  prisma: PrismaClient,
  accountId: string,
): Promise<{ limits: PlanResourceLimits; used: Pick<SiteFootprint, "cpuMillicores" | "memoryMiB"> } | null> {
  const account = await prisma.account.findUnique({
    where: { id: accountId },
    select: { path: true, plan: true },
  });
  if (!account) return null;
  const belowAllotment = account.plan ? false : await isBelowAllotment(prisma, parentPathOf(account.path));
  const used = await measureSites(prisma, { accountId });
  return {
    limits: effectivePlanLimits(account.plan, { belowAllotment }),
    used: { cpuMillicores: used.cpuMillicores ?? 0, memoryMiB: used.memoryMiB ?? 0 },
  };
}
