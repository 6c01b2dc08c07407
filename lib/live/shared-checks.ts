/**
 * One answer per key and interval, shared by every caller in the process: an open event stream
 * asks every few seconds whether its credential still holds, and a user's tabs (or an integration's
 * many streams on one API token) would otherwise ask the database the same question each on its
 * own. A key's answer is reused for at most `maxAgeMs` after the check that produced it started,
 * so a revocation is seen within the streams' own interval plus `maxAgeMs`. A check that fails
 * (throws) is not kept: the next caller asks again.
 */
export class SharedChecks {
  private readonly entries = new Map<string, { at: number; answer: Promise<boolean> }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  check(key: string, run: () => Promise<boolean>): Promise<boolean> {
    const at = this.now();
    const kept = this.entries.get(key);
    if (kept && at - kept.at < this.maxAgeMs) return kept.answer;
    this.dropExpired(at);
    const answer = run();
    // Re-inserted, so the map stays in the order the checks started (oldest first).
    this.entries.delete(key);
    this.entries.set(key, { at, answer });
    answer.catch(() => {
      if (this.entries.get(key)?.answer === answer) this.entries.delete(key);
    });
    return answer;
  }

  /** Keys with a kept answer (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private dropExpired(at: number): void {
    for (const [key, entry] of this.entries) {
      if (at - entry.at < this.maxAgeMs) return;
      this.entries.delete(key);
    }
  }
}
