/**
 * The one reader of the change log in a web process. Every open event stream (app/api/v1/events)
 * subscribes here instead of polling the database itself: the hub polls once per interval through
 * the API server's ChangeFeed (the ChangeCursor's look-back window finds ids that commit out of
 * order, the Sequencer puts rows back in id order), keeps a window of recent rows for streams that
 * resume, and hands each batch to every subscriber. Each stream filters rows in memory by the
 * account paths its caller reaches (rows carry their account's path, joined in the same read).
 *
 * Started lazily by the first stream, one per process: the instance lives on globalThis so that
 * Next's dev server reloading this module (HMR) does not start a second poller.
 */
import { ChangeFeed } from "@/lib/apiserver/watch/change-feed";
import { log } from "@/lib/log";
import { getLatestResourceVersion } from "@/lib/services/change-log/get-latest-resource-version";
import { type LiveFeedRow, readLiveFeed } from "@/lib/services/change-log/read-live-feed";

export type HubListener = (rows: readonly LiveFeedRow[]) => void;

export interface ChangeHubOptions {
  /** Time between polls when nothing is new (default 500 ms). */
  pollMs?: number;
  /** How long rows wait above a missing id before it counts as rolled back (default 2 s). */
  gapHoldMs?: number;
  /** Ids below the highest seen that are read again, for rows committing late (default 500). */
  lookback?: bigint;
  /** Rows kept for streams that resume (default 10,000); older cursors read the database once. */
  bufferSize?: number;
  /** The feed's read (default readLiveFeed); tests wrap it to count queries. */
  read?: (options: { afterId: bigint; limit: number }) => Promise<LiveFeedRow[]>;
}

export class ChangeHub {
  private feed: ChangeFeed<LiveFeedRow> | null = null;
  private starting: Promise<void> | null = null;
  private readonly listeners = new Set<HubListener>();
  /** Rows handed out, in the order they were (id order, rows that came late after). */
  private buffer: LiveFeedRow[] = [];
  /** Every row with an id above this that was handed out is in the buffer. */
  private floor = 0n;
  private delivered = 0n;
  private membershipChanges = 0;
  private readonly bufferSize: number;

  constructor(private readonly options: ChangeHubOptions = {}) {
    this.bufferSize = options.bufferSize ?? 10_000;
  }

  /** Starts the feed once (later calls wait for the same start); a failed start is retried by the next call. */
  ready(): Promise<void> {
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    const start = await getLatestResourceVersion();
    const feed = new ChangeFeed<LiveFeedRow>({
      start,
      pollMs: this.options.pollMs ?? 500,
      gapHoldMs: this.options.gapHoldMs ?? 2_000,
      lookback: this.options.lookback ?? 500n,
      read: this.options.read ?? readLiveFeed,
      component: "live",
      onRows: async (rows, position) => this.publish(rows, position),
    });
    await feed.prime();
    this.floor = start;
    this.delivered = start;
    this.feed = feed;
    feed.start();
    log.info("change hub started", { event: "live.hub_started", resourceVersion: start });
  }

  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = null;
    await starting?.catch(() => undefined);
    await this.feed?.stop();
    this.feed = null;
  }

  /** Every change-log id at or below this has been handed to the subscribers (or given up on). */
  position(): bigint {
    return this.delivered;
  }

  /** Reads of the change log this hub made: one per poll, however many streams listen. */
  reads(): number {
    return this.feed?.reads ?? 0;
  }

  /**
   * Grows with every Membership row handed out: streams re-read the accounts their caller reaches
   * when it moved (a membership is the only thing their roots are made of).
   */
  membershipVersion(): number {
    return this.membershipChanges;
  }

  subscriberCount(): number {
    return this.listeners.size;
  }

  /**
   * Buffered rows with ids above `since`, in the order they were handed out, or null when rows
   * after `since` may have left the buffer (the caller reads those from the database). Call
   * subscribe() in the same synchronous turn, so that nothing falls between the two.
   */
  rowsAfter(since: bigint): LiveFeedRow[] | null {
    if (since < this.floor) return null;
    return this.buffer.filter((row) => row.id > since);
  }

  /** Receives every batch from now on; returns the unsubscribe. */
  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private publish(rows: readonly LiveFeedRow[], position: bigint): void {
    if (position > this.delivered) this.delivered = position;
    if (rows.length === 0) return;
    for (const row of rows) if (row.kind === "Membership") this.membershipChanges += 1;
    this.buffer.push(...rows);
    if (this.buffer.length > this.bufferSize) {
      // Drop a tenth at once rather than one row per batch.
      const dropped = this.buffer.splice(0, this.buffer.length - Math.floor(this.bufferSize * 0.9));
      for (const row of dropped) if (row.id > this.floor) this.floor = row.id;
    }
    for (const listener of this.listeners) {
      try {
        listener(rows);
      } catch (err) {
        log.error("change hub subscriber failed", { event: "live.subscriber_failed", err });
      }
    }
  }
}

const HUB = Symbol.for("sitepod.changeHub");
type WithHub = typeof globalThis & { [HUB]?: ChangeHub };

/** The process's hub, created on first use. */
export function getChangeHub(): ChangeHub {
  const g = globalThis as WithHub;
  g[HUB] ??= new ChangeHub();
  return g[HUB];
}

/** Stops and forgets the process's hub (tests: each database gets a fresh one). */
export async function resetChangeHub(): Promise<void> {
  const g = globalThis as WithHub;
  const hub = g[HUB];
  g[HUB] = undefined;
  await hub?.stop();
}
