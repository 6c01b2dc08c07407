/**
 * The install state of a WordPress site on its row (Site.installGeneration, Site.installedAt):
 * written only by the reconciler, each change guarded by the generation it read, so a pass that
 * runs twice, or again after the reconciler was killed, changes it once.
 */
import { appendSiteStatus } from "@/lib/services/change-log/append-change";
import { sealSiteSecrets, withoutAdminPassword } from "@/lib/services/site/site-secrets";
import type { ReconcileContext } from "./context";
import type { SiteForReconcile } from "./site-spec";

type InstallContext = Pick<ReconcileContext, "prisma" | "defaults" | "log" | "now">;

/**
 * The install Job of `generation` succeeded: record it, and forget the admin password (WordPress
 * keeps its own hash; Sitepod keeps nothing that could leak).
 */
export async function recordInstalled(
  ctx: InstallContext,
  site: SiteForReconcile,
  generation: number,
): Promise<void> {
  let secretsCiphertext: string | undefined;
  try {
    secretsCiphertext = sealSiteSecrets(
      withoutAdminPassword(ctx.defaults.openSecrets(site.secretsCiphertext)),
    );
  } catch (err) {
    ctx.log.warn("admin password not dropped: secrets unreadable", {
      siteId: site.id,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  await ctx.prisma.$transaction(async (tx) => {
    const updated = await tx.site.updateMany({
      where: { id: site.id, installGeneration: generation, installedAt: null },
      data: { installedAt: ctx.now(), ...(secretsCiphertext ? { secretsCiphertext } : {}) },
    });
    if (updated.count === 0) return;
    await appendSiteStatus(tx, site, { installed: true, installGeneration: generation });
  });
  ctx.log.info("wordpress installed", { siteId: site.id, installGeneration: generation });
}

/** The install of `generation` failed and its pause is over: the next generation is a new Job. */
export async function retryInstall(
  ctx: InstallContext,
  site: SiteForReconcile,
  generation: number,
): Promise<void> {
  await ctx.prisma.$transaction(async (tx) => {
    const updated = await tx.site.updateMany({
      where: { id: site.id, installGeneration: generation, installedAt: null },
      data: { installGeneration: generation + 1 },
    });
    if (updated.count === 0) return;
    await appendSiteStatus(tx, site, { installGeneration: generation + 1, retry: true });
  });
  ctx.log.info("wordpress install retried", { siteId: site.id, installGeneration: generation + 1 });
}
