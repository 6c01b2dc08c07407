/**
 * The one reader of the change log in an API server process: it polls for new rows (the
 * reconciler's ChangeCursor finds rows that committed out of id order within its look-back
 * window and never hands one out twice), puts them back in id order (Sequencer) and hands them
 * to the watch cache, which serves every watcher. However many clients watch, the database sees
 * one small query per poll.
 */
import { ChangeCursor } from "@/lib/reconciler/change-feed";
import { log } from "@/lib/log";
import { type FeedRow, readChangeFeed } from "@/lib/services/change-log/read-change-feed";
import { Sequencer } from "./sequencer";

/** What the feed needs of a row; readers may carry more (the web process's hub adds the account path). */
export interface FeedRowLike {
  id: bigint;
}

export interface ChangeFeedOptions<Row extends FeedRowLike = FeedRow> {
  /** The change-log id everything at or below is already reflected (the watch cache's start). */
  start: bigint;
  /** Time between polls when nothing is new. */
  pollMs: number;
  /** How long rows wait above a missing id before it counts as rolled back. */
  gapHoldMs: number;
  /** Ids below the highest seen that are read again, for rows committing late. */
  lookback: bigint;
  /** Receives rows in order; the feed waits for it before reading more. */
  onRows(rows: Row[], position: bigint): Promise<void>;
  /** Reads rows above an id, oldest first (default: readChangeFeed, every column the watch cache needs). */
  read?: (options: { afterId: bigint; limit: number }) => Promise<Row[]>;
  /** Prefix of the feed's log events (default "apiserver"). */
  component?: string;
}

const BATCH = 1000;

export class ChangeFeed<Row extends FeedRowLike = FeedRow> {
  private readonly cursor: ChangeCursor;
  private readonly sequencer: Sequencer<Row>;
  private readonly read: (options: { afterId: bigint; limit: number }) => Promise<Row[]>;
  /** Reads of the change log so far (prime and polls): what the database sees of this feed. */
  reads = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private running: Promise<void> | null = null;
  private failures = 0;

  constructor(private readonly options: ChangeFeedOptions<Row>) {
    this.read =
      options.read ??
      (readChangeFeed as unknown as (options: { afterId: bigint; limit: number }) => Promise<Row[]>);
    this.cursor = new ChangeCursor(options.start, options.lookback);
    this.sequencer = new Sequencer(options.start, options.gapHoldMs);
  }

  /** Every change-log id at or below this was handed to onRows (or given up on as rolled back). */
  get position(): bigint {
    return this.sequencer.position;
  }

  /** Marks the look-back window below the start as already handled (the cache loaded it). */
  async prime(): Promise<void> {
    this.reads += 1;
    const rows = await this.read({
      afterId: this.cursor.floor,
      limit: Number(this.options.lookback) + 1,
    });
    this.cursor.advance(rows.filter((r) => r.id <= this.options.start).map((r) => r.id));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let again = false;
    try {
      again = await this.pollOnce();
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      log.error("change feed poll failed", {
        event: `${this.options.component ?? "apiserver"}.feed_failed`,
        err,
        failures: this.failures,
      });
    }
    const backoff =
      this.failures === 0 ? this.options.pollMs : Math.min(30_000, this.options.pollMs * 2 ** this.failures);
    this.schedule(again ? 0 : backoff);
  }

  /** One read; true when it filled a batch (more may be waiting). */
  async pollOnce(): Promise<boolean> {
    this.reads += 1;
    const rows = await this.read({ afterId: this.cursor.floor, limit: BATCH });
    const freshIds = new Set(this.cursor.fresh(rows.map((r) => r.id)));
    const fresh = rows.filter((r) => freshIds.has(r.id));
    this.cursor.advance([...freshIds]);
    const ready = this.sequencer.push(fresh, Date.now());
    if (ready.length > 0 || this.sequencer.waiting === 0) {
      await this.options.onRows(ready, this.sequencer.position);
    }
    return rows.length === BATCH && fresh.length > 0;
  }
}
