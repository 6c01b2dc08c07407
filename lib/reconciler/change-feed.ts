/**
 * The change feed, as pure functions: which change-log rows are new (ids can commit out of order),
 * and what work they make. The reconciler's loop only reads rows, feeds them here and queues the
 * answer; everything that decides is unit-tested without a database.
 */
import type { ChangeAction } from "@/lib/generated/prisma/enums";

/** One work item's key in the reconciler's queue: `<kind>/<id>`, e.g. `site/ck...`. */
export type WorkKey = `${string}/${string}`;

export function workKey(kind: string, id: string): WorkKey {
  return `${kind}/${id}`;
}

export function parseWorkKey(key: string): { kind: string; id: string } {
  const slash = key.indexOf("/");
  if (slash <= 0) throw new Error(`not a work key: ${key}`);
  return { kind: key.slice(0, slash), id: key.slice(slash + 1) };
}

export interface ChangeRow {
  id: bigint;
  kind: string;
  objectId: string;
  action: ChangeAction;
  data: unknown;
}

/** What a batch of changes asks for. Accounts and plans need the database to find their sites. */
export interface ChangeWork {
  /** Work keys to queue as they are. */
  keys: Set<WorkKey>;
  /** Accounts whose own pass and every site's must run (suspension, plan, termination). */
  accounts: Set<string>;
  /** Plans whose accounts must run again. */
  plans: Set<string>;
  /** Everything must be looked at again (the runtime catalog changed: every image may differ). */
  resync: boolean;
}

/**
 * Maps change-log kinds to the work-key kind of their reconciler. Site and Account are built in;
 * each further kind (a cron job, a database) registers its own.
 */
export type KindRoutes = Readonly<Record<string, string>>;

export const BUILT_IN_ROUTES: KindRoutes = { Site: "site" };

/**
 * The work a batch of change-log rows makes. STATUS rows are the reconciler's own writes: waking on
 * them would only repeat the pass that wrote them. A row whose data names a site (`data.siteId`)
 * wakes that site too: a change to one of its parts (a domain, a cron job) changes what it renders.
 */
export function workFromChanges(
  rows: readonly ChangeRow[],
  routes: KindRoutes = BUILT_IN_ROUTES,
): ChangeWork {
  const work: ChangeWork = { keys: new Set(), accounts: new Set(), plans: new Set(), resync: false };
  for (const row of rows) {
    if (row.action === "STATUS") continue;
    const route = routes[row.kind];
    if (route) work.keys.add(workKey(route, row.objectId));
    if (row.kind === "Account") work.accounts.add(row.objectId);
    if (row.kind === "Plan") work.plans.add(row.objectId);
    // A site's image and the suspended page's come from the runtime catalog.
    if (row.kind === "RuntimeImage") work.resync = true;
    const data = row.data as { siteId?: unknown } | null;
    if (data && typeof data === "object" && typeof data.siteId === "string") {
      work.keys.add(workKey("site", data.siteId));
    }
  }
  return work;
}

/**
 * Where the feed stands. Auto-increment ids are taken before commit, so a row can appear after rows
 * with higher ids: each read looks back `lookback` ids below the highest seen and skips the ids it
 * has already handled. A row that commits more than `lookback` ids late is missed by the feed and
 * caught by the periodic resync.
 */
export class ChangeCursor {
  private highest: bigint;
  private readonly seen = new Set<bigint>();

  constructor(
    start: bigint,
    private readonly lookback = 200n,
  ) {
    this.highest = start;
  }

  /** The highest id handled so far. */
  get position(): bigint {
    return this.highest;
  }

  /** Read rows with ids above this. */
  get floor(): bigint {
    return this.highest > this.lookback ? this.highest - this.lookback : 0n;
  }

  /** Of the ids read above the floor, those not handled yet, in ascending order. */
  fresh(ids: readonly bigint[]): bigint[] {
    return [...ids]
      .filter((id) => !(id <= this.highest && this.seen.has(id)))
      .sort((a, b) => (a < b ? -1 : 1));
  }

  /** Records ids as handled and forgets those that fell below the window. */
  advance(ids: readonly bigint[]): void {
    for (const id of ids) {
      this.seen.add(id);
      if (id > this.highest) this.highest = id;
    }
    const floor = this.floor;
    for (const id of this.seen) if (id <= floor) this.seen.delete(id);
  }
}
