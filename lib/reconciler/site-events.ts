/**
 * The reconciler's entries in a site's timeline (SiteEvent rows): changes made behind Sitepod's
 * back that a pass found and undid. Each batch also appends one STATUS change-log row naming the
 * site, so open pages refresh their timeline live (the reconciler's own feed skips STATUS rows).
 */
import { describeDrift } from "@/lib/k8s/drift";
import type { RenderedObject } from "@/lib/k8s/manifests/objects";
import { appendChange } from "@/lib/services/change-log/append-change";
import type { Ensured, ReconcileContext } from "./context";

export interface SiteEventInput {
  type: "Normal" | "Warning";
  reason: string;
  /** "Deployment/blog" */
  object: string;
  message: string;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

/**
 * What one pass corrected: objects whose rendered fields had been changed by hand (put back), and,
 * for a site that had already converged, objects that had been deleted (created again).
 */
export function corrections(
  applied: ReadonlyArray<{ obj: RenderedObject; ensured: Ensured }>,
  siteHadConverged: boolean,
): SiteEventInput[] {
  const out: SiteEventInput[] = [];
  for (const { obj, ensured } of applied) {
    const object = `${obj.kind}/${obj.metadata.name}`;
    if (ensured.drift && ensured.drift.length > 0) {
      out.push({
        type: "Warning",
        reason: "DriftCorrected",
        object,
        message: `Changed outside Sitepod; put back as Sitepod renders it. ${describeDrift(ensured.drift)}`,
      });
    } else if (ensured.created && siteHadConverged) {
      out.push({
        type: "Warning",
        reason: "ObjectRestored",
        object,
        message: "Deleted outside Sitepod; created again.",
      });
    }
  }
  return out;
}

export async function recordSiteEvents(
  ctx: ReconcileContext,
  site: { id: string; accountId: string },
  events: readonly SiteEventInput[],
): Promise<void> {
  if (events.length === 0) return;
  const now = ctx.now();
  await ctx.prisma.$transaction(async (tx) => {
    await tx.siteEvent.createMany({
      data: events.map((e) => ({
        siteId: site.id,
        accountId: site.accountId,
        source: "SITEPOD" as const,
        type: e.type,
        reason: clip(e.reason, 64),
        object: clip(e.object, 160),
        message: clip(e.message, 1000),
        firstSeenAt: now,
        lastSeenAt: now,
      })),
    });
    await appendChange(tx, {
      kind: "Site",
      objectId: site.id,
      accountId: site.accountId,
      action: "STATUS",
      data: { siteId: site.id, corrected: events.map((e) => e.object) },
      summary: clip(
        `Sitepod undid changes made outside it to ${events.map((e) => e.object).join(", ")}`,
        500,
      ),
    });
  });
  for (const e of events)
    ctx.log.warn("drift corrected", {
      siteId: site.id,
      object: e.object,
      reason: e.reason,
      message: e.message,
    });
}
