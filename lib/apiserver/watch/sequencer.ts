/**
 * Puts change-log rows back in id order. MySQL takes an auto-increment id at insert, not at
 * commit, so row 101 can be visible before row 100 (whose transaction is still running) and row
 * 100 may never appear (rolled back). A watch must deliver events in resourceVersion order, and a
 * list's resourceVersion must mean "everything up to here": so rows above a gap wait until the gap
 * fills, or until it has been open `holdMs` (then the missing ids are taken as rolled back). A row
 * that commits later still is delivered when it shows up, out of order, rather than dropped.
 *
 * Pure: the caller feeds it the rows the change-feed cursor found new, with the time.
 */
export interface Sequenced {
  id: bigint;
}

export class Sequencer<Row extends Sequenced> {
  private emitted: bigint;
  private readonly pending = new Map<bigint, Row>();
  private gapOpenedAt: number | null = null;

  constructor(
    start: bigint,
    private readonly holdMs: number,
  ) {
    this.emitted = start;
  }

  /** Every id at or below this has been delivered, or given up on. */
  get position(): bigint {
    return this.emitted;
  }

  /** Ids waiting above a gap. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Takes new rows; returns those ready, in order (rows that came late first, then the rest). */
  push(rows: readonly Row[], now: number): Row[] {
    const late: Row[] = [];
    for (const row of rows) {
      if (row.id <= this.emitted) late.push(row);
      else this.pending.set(row.id, row);
    }
    late.sort((a, b) => (a.id < b.id ? -1 : 1));
    const ready: Row[] = [];
    for (;;) {
      const next = this.emitted + 1n;
      const row = this.pending.get(next);
      if (row) {
        this.pending.delete(next);
        ready.push(row);
        this.emitted = next;
        this.gapOpenedAt = null;
        continue;
      }
      if (this.pending.size === 0) {
        this.gapOpenedAt = null;
        break;
      }
      this.gapOpenedAt ??= now;
      if (now - this.gapOpenedAt < this.holdMs) break;
      // The gap has been open too long: its ids were rolled back (or commit very late).
      let lowest: bigint | null = null;
      for (const id of this.pending.keys()) if (lowest === null || id < lowest) lowest = id;
      this.emitted = (lowest as bigint) - 1n;
      this.gapOpenedAt = null;
    }
    return [...late, ...ready];
  }
}
