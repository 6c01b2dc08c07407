/**
 * One live-update stream (GET /api/v1/events), fed by the process's change hub: the rows the
 * caller reaches, as server-sent events. Kept apart from the route so that the benchmark drives
 * exactly this code for a thousand streams.
 *
 * Events: `ready` (id and data: the position the stream starts from), `change` (id: the
 * resourceVersion; data: a ChangeView), `reset` (the position asked for is older than the change
 * log keeps: the client refetches everything; the stream goes on from now). A row that committed
 * late, below an id this stream already sent, is sent without an SSE id so the browser's
 * Last-Event-ID never goes back.
 */
import { formatSseEvent, SSE_HEARTBEAT } from "@/lib/api/sse";
import { type AuthzSubject, membershipRoots, type RootMembership } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Logger } from "@/lib/log";
import { getCompactionHorizon } from "@/lib/services/change-log/get-compaction-horizon";
import { type ChangeView, listChangesForRoots } from "@/lib/services/change-log/list-changes-since";
import type { LiveFeedRow } from "@/lib/services/change-log/read-live-feed";
import type { ChangeHub } from "./change-hub";

/** A resume this many ids behind the hub starts over rather than reading the backlog. */
export const MAX_RESUME_BACKLOG = 100_000n;
const BACKLOG_PAGE = 1_000;

export interface ChangeStreamOptions {
  /** The caller as authorization sees them (token, support session): what they reach is what the stream shows. */
  actor: AuthzSubject;
  /** Where the client resumes from (Last-Event-ID or `since`); null: from now. */
  requested: bigint | null;
  hub: ChangeHub;
  send(frame: string): void;
  /** Ends the stream (client gone, time up). */
  signal: AbortSignal;
  /** Whether the caller's session or token still holds; asked every sessionCheckMs. */
  stillSignedIn(): Promise<boolean>;
  sessionCheckMs: number;
  heartbeatMs: number;
  log: Logger;
  /**
   * The account paths the caller reaches (default membershipRoots). Re-read at a session check
   * when the hub has seen a membership change since, and at least every rootsMaxAgeMs.
   */
  loadRoots?: (actor: AuthzSubject) => Promise<RootMembership[]>;
  rootsMaxAgeMs?: number;
}

/** Roots are re-read at least this often, even without a membership change seen. */
export const ROOTS_MAX_AGE_MS = 60_000;

export type ChangeStreamEnd = "aborted" | "signed_out";

/** Whether a row belongs to an account below one of the roots. */
export function reaches(roots: readonly Pick<RootMembership, "path">[], row: LiveFeedRow): boolean {
  const path = row.accountPath;
  if (path === null) return false;
  for (const root of roots) if (path.startsWith(root.path)) return true;
  return false;
}

function toView(row: LiveFeedRow): ChangeView {
  return {
    resourceVersion: row.id.toString(),
    kind: row.kind,
    objectId: row.objectId,
    accountId: row.accountId,
    action: row.action,
  };
}

export async function runChangeStream(options: ChangeStreamOptions): Promise<ChangeStreamEnd> {
  const { actor, hub, send, signal, log } = options;
  const loadRoots = options.loadRoots ?? ((a) => membershipRoots(prisma, a));
  await hub.ready();
  let rootsVersion = hub.membershipVersion();
  let rootsAt = Date.now();
  let roots = await loadRoots(actor);

  const queue: LiveFeedRow[] = [];
  let wake: (() => void) | null = null;
  const listener = (rows: readonly LiveFeedRow[]) => {
    for (const row of rows) if (reaches(roots, row)) queue.push(row);
    if (queue.length > 0) wake?.();
  };

  // `floor`: where the stream starts; `sent` (below): the highest id sent, its Last-Event-ID. Every
  // row the hub hands out after subscribing is sent, even one below them: it committed late, and a
  // change sent twice costs a refetch where a missed one would leave stale data.
  let floor: bigint;
  let unsubscribe: () => void = () => {};
  /** Ids sent from the database backlog that the hub may hand out again (they committed late). */
  let fromBacklog: Set<bigint> | null = null;
  try {
    const buffered = options.requested === null ? null : hub.rowsAfter(options.requested);
    if (options.requested === null) {
      floor = hub.position();
      unsubscribe = hub.subscribe(listener);
    } else if (buffered !== null) {
      floor = options.requested;
      unsubscribe = hub.subscribe(listener);
      for (const row of buffered) if (reaches(roots, row)) queue.push(row);
    } else {
      const requested = options.requested;
      const expired =
        hub.position() - requested > MAX_RESUME_BACKLOG || requested < (await getCompactionHorizon());
      if (expired) {
        floor = hub.position();
        unsubscribe = hub.subscribe(listener);
        log.info("event stream resumed from a compacted position: starting over", {
          event: "live.stream_reset",
          requested,
          resourceVersion: floor,
        });
        send(
          formatSseEvent({
            event: "reset",
            data: {
              reason: "Expired",
              message: `resourceVersion ${requested} is too old to resume from (the change log was compacted, or it is too far behind): refetch everything`,
              resourceVersion: floor.toString(),
            },
          }),
        );
      } else {
        floor = requested;
        // Listen first, read the backlog up to where the hub stood then: nothing falls between.
        const until = hub.position();
        unsubscribe = hub.subscribe(listener);
        fromBacklog = new Set();
        send(formatSseEvent({ id: floor.toString(), event: "ready", data: { resourceVersion: floor } }));
        let after = requested;
        for (;;) {
          const page = await listChangesForRoots({ roots, since: after, until, limit: BACKLOG_PAGE });
          for (const change of page) {
            send(formatSseEvent({ id: change.resourceVersion, event: "change", data: change }));
            after = BigInt(change.resourceVersion);
            fromBacklog.add(after);
          }
          if (page.length < BACKLOG_PAGE || signal.aborted) break;
        }
        // Only ids inside the hub's look-back window (500) can come from it again.
        for (const id of fromBacklog) if (id <= until - 1_000n) fromBacklog.delete(id);
        floor = after > floor ? after : floor;
      }
    }
    if (fromBacklog === null) {
      send(formatSseEvent({ id: floor.toString(), event: "ready", data: { resourceVersion: floor } }));
    }

    let sent = floor;
    let lastWrite = Date.now();
    let lastSessionCheck = Date.now();
    while (!signal.aborted) {
      const rows = queue.splice(0, queue.length);
      for (const row of rows) {
        if (fromBacklog?.has(row.id)) continue;
        // Roots may have narrowed since the row was queued.
        if (!reaches(roots, row)) continue;
        const late = row.id <= sent;
        send(
          formatSseEvent({ ...(late ? {} : { id: row.id.toString() }), event: "change", data: toView(row) }),
        );
        if (!late) sent = row.id;
        lastWrite = Date.now();
      }
      const now = Date.now();
      if (now - lastSessionCheck >= options.sessionCheckMs) {
        lastSessionCheck = now;
        if (!(await options.stillSignedIn())) return "signed_out";
        // A membership removed since the stream opened stops delivery from now on. Memberships
        // change through services that write Membership rows: only then, or after a while as a
        // safety net, are they read again (a thousand streams re-reading every few seconds would
        // cost more than the hub).
        if (
          hub.membershipVersion() !== rootsVersion ||
          now - rootsAt >= (options.rootsMaxAgeMs ?? ROOTS_MAX_AGE_MS)
        ) {
          rootsVersion = hub.membershipVersion();
          rootsAt = now;
          roots = await loadRoots(actor);
        }
      }
      if (Date.now() - lastWrite >= options.heartbeatMs) {
        send(SSE_HEARTBEAT);
        lastWrite = Date.now();
      }
      if (queue.length > 0) continue;
      const waitMs = Math.max(
        1,
        Math.min(
          options.sessionCheckMs - (Date.now() - lastSessionCheck),
          options.heartbeatMs - (Date.now() - lastWrite),
        ),
      );
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          wake = null;
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        signal.addEventListener("abort", done, { once: true });
        wake = done;
      });
    }
    return "aborted";
  } finally {
    unsubscribe();
  }
}
