/**
 * A site's timeline, newest first: Sitepod's own changes to the site (change-log rows: who did
 * what), what the reconciler found changed behind its back and put back, and what Kubernetes
 * reported about the site's objects (SiteEvent rows). One list, merged by time, paged by a cursor.
 */
import { canViewSite } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { describeChange } from "@/lib/services/audit-log/describe-change";
import { parseInput } from "@/lib/validation/parse-input";
import { siteTimelineSchema } from "@/lib/validation/timeline";

export type TimelineSource = "change" | "sitepod" | "kubernetes";

export interface TimelineEntryView {
  /** "c<change id>" or "e<site event id>" */
  id: string;
  source: TimelineSource;
  /** Normal or Warning. */
  type: "Normal" | "Warning";
  /** Short machine-readable cause: "Updated", "DriftCorrected", "BackOff". */
  reason: string;
  /** "Deployment/blog" for cluster entries; null for Sitepod's own changes. */
  object: string | null;
  message: string;
  /** Who made a change in the panel or the API: a name only, never an email or address. */
  actorName: string | null;
  /** How often Kubernetes reported the same event. */
  count: number;
  at: string;
}

export interface SiteTimelineView {
  entries: TimelineEntryView[];
  /** Pass as `before` for older entries; null at the end. */
  next: string | null;
}

const cursorOf = (at: Date, id: string) => `${String(at.getTime()).padStart(13, "0")}:${id}`;

function parseCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [ms, id] = cursor.split(":");
  return { at: new Date(Number(ms)), id: id ?? "" };
}

/** Orders entries newest first; equal times by id, so a page boundary never splits or repeats. */
function newerFirst(a: { at: Date; id: string }, b: { at: Date; id: string }): number {
  return b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export async function getSiteTimeline(options: {
  actor: Actor;
  siteId: string;
  /** Untrusted: { before?, limit? }. */
  input?: unknown;
}): Promise<SiteTimelineView> {
  const { siteId, accountId } = await authorizeSite({
    actor: options.actor,
    siteId: options.siteId,
    permission: canViewSite,
    action: "view this site",
  });
  const { before, limit } = parseInput(siteTimelineSchema, options.input ?? {});
  const cursor = parseCursor(before);
  // Each source gives at most `limit` entries at or before the cursor; the merge keeps `limit`.
  const [changes, events] = await Promise.all([
    prisma.changeLog.findMany({
      where: {
        kind: "Site",
        objectId: siteId,
        accountId,
        // The reconciler's status reports are shown as the site's status, not as entries.
        action: { not: "STATUS" },
        ...(cursor ? { createdAt: { lte: cursor.at } } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit + 1,
    }),
    prisma.siteEvent.findMany({
      where: { siteId, accountId, ...(cursor ? { lastSeenAt: { lte: cursor.at } } : {}) },
      orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
      take: limit + 1,
    }),
  ]);
  const actorIds = [...new Set(changes.flatMap((c) => (c.actorUserId ? [c.actorUserId] : [])))];
  const users = await prisma.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, name: true },
  });
  const names = new Map(users.map((u) => [u.id, u.name]));

  const merged = [
    ...changes.map((c) => ({
      at: c.createdAt,
      id: `c${c.id}`,
      view: {
        source: "change" as const,
        type: "Normal" as const,
        reason: c.action === "CREATED" ? "Created" : c.action === "DELETED" ? "Deleted" : "Updated",
        object: null,
        message: c.summary ?? describeChange(c),
        // A change made in a support session names the operator who made it, as support.
        actorName: c.actorUserId
          ? `${names.get(c.actorUserId) ?? "Former member"}${c.impersonationId ? " (support)" : ""}`
          : null,
        count: 1,
      },
    })),
    ...events.map((e) => ({
      at: e.lastSeenAt,
      id: `e${e.id}`,
      view: {
        source: e.source === "SITEPOD" ? ("sitepod" as const) : ("kubernetes" as const),
        type: e.type === "Warning" ? ("Warning" as const) : ("Normal" as const),
        reason: e.reason,
        object: e.object,
        message: e.message,
        actorName: null,
        count: e.count,
      },
    })),
  ]
    .filter((entry) => !cursor || newerFirst(cursor, entry) < 0)
    .sort(newerFirst);
  const page = merged.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((entry) => ({ id: entry.id, at: entry.at.toISOString(), ...entry.view })),
    next: merged.length > limit && last ? cursorOf(last.at, last.id) : null,
  };
}
