/**
 * A level-based work queue in the shape of client-go's: an item is only a key; a key queued
 * several times before a worker takes it is processed once; a key re-added while being processed
 * is processed again afterwards, never by two workers at once. Failures requeue with a per-key
 * exponential delay that `forget` resets.
 *
 * Two lanes: urgent keys (work someone asked for: a change in the panel or the API, the first
 * pass over everything after a start) go before routine ones (looking again after a cluster
 * event, a requeue, a retry). While new sites are being provisioned, their first passes are not
 * held up behind passes that only observe how earlier ones are doing, and a routine key queued
 * many times meanwhile is processed once. The urgent lane goes first but not always: after every
 * `urgentBurst` urgent keys handed out while routine keys waited, the oldest routine key goes next,
 * so that thousands of sites created at once hold back neither the later passes that bring the
 * earlier ones to Running nor a retry, a crash's Degraded or another customer's site until the
 * last of them has had its first pass.
 */
export interface WorkQueueOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Urgent keys handed out in a row, while routine keys wait, before a routine one goes (default 4). */
  urgentBurst?: number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly urgentQueue: string[] = [];
  /** Dirty keys that were added as urgent: they wait (or will, once processed) in urgentQueue. */
  private readonly urgentKeys = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; urgent: boolean; timer: NodeJS.Timeout }>();
  /** The recheck the latest pass over each key asked for (recheck()), apart from the timers above. */
  private readonly rechecks = new Map<string, NodeJS.Timeout>();
  private waiters: Array<(key: string | undefined) => void> = [];
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly urgentBurst: number;
  /** Urgent keys handed out since a routine key last went, counted while routine keys waited. */
  private urgentInARow = 0;

  constructor(options: WorkQueueOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.urgentBurst = Math.max(1, options.urgentBurst ?? 4);
  }

  add(key: string, options: { urgent?: boolean } = {}): void {
    if (this.shuttingDown) return;
    const urgent = options.urgent === true;
    if (this.dirty.has(key)) {
      // Already waiting: an urgent add moves it ahead of the routine work.
      if (!urgent || this.urgentKeys.has(key)) return;
      this.urgentKeys.add(key);
      if (this.processing.has(key)) return;
      const at = this.queue.indexOf(key);
      if (at >= 0) this.queue.splice(at, 1);
      this.urgentQueue.push(key);
      return;
    }
    this.dirty.add(key);
    if (urgent) this.urgentKeys.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) this.take(key, waiter);
    else this.lane(key).push(key);
  }

  private lane(key: string): string[] {
    return this.urgentKeys.has(key) ? this.urgentQueue : this.queue;
  }

  /** Adds after a delay; an earlier pending delay for the same key wins (urgent if either is). */
  addAfter(key: string, delayMs: number, options: { urgent?: boolean } = {}): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key, options);
      return;
    }
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) {
      if (options.urgent) pending.urgent = true;
      return;
    }
    if (pending) clearTimeout(pending.timer);
    const urgent = options.urgent === true || pending?.urgent === true;
    const timer = setTimeout(() => {
      // Read at firing time: a later urgent addAfter may have marked the entry.
      const entry = this.timers.get(key);
      this.timers.delete(key);
      this.add(key, { urgent: entry?.urgent ?? urgent });
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, urgent, timer });
  }

  /**
   * A pass over `key` succeeded and asks to be looked at again after `delayMs` (undefined: only
   * when something changes). It replaces what an earlier pass over the key asked: the latest pass
   * saw the latest state, so an earlier reason to look again (an install to check at its time
   * limit, a pod not Ready yet) either still holds, and this pass asked again, or is gone. Without
   * this, every site whose install finished early would still get a pass for nothing at its
   * install's time limit. Wakes for cluster events (addAfter) are kept apart and never dropped.
   */
  recheck(key: string, delayMs: number | undefined): void {
    const pending = this.rechecks.get(key);
    if (pending) {
      clearTimeout(pending);
      this.rechecks.delete(key);
    }
    if (this.shuttingDown || delayMs === undefined) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const timer = setTimeout(() => {
      this.rechecks.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.rechecks.set(key, timer);
  }

  /** Requeues after this key's next backoff delay; returns that delay. */
  addRateLimited(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delay = Math.min(this.baseDelayMs * 2 ** (failures - 1), this.maxDelayMs);
    this.addAfter(key, delay);
    return delay;
  }

  /** The key succeeded (or failed terminally): its backoff starts over. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process, or undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    const key = this.next();
    if (key !== undefined) {
      this.processing.add(key);
      this.dirty.delete(key);
      this.urgentKeys.delete(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private next(): string | undefined {
    if (this.queue.length === 0) {
      this.urgentInARow = 0;
      return this.urgentQueue.shift();
    }
    if (this.urgentQueue.length === 0 || this.urgentInARow >= this.urgentBurst) {
      this.urgentInARow = 0;
      return this.queue.shift();
    }
    this.urgentInARow++;
    return this.urgentQueue.shift();
  }

  private take(key: string, waiter: (key: string | undefined) => void): void {
    this.processing.add(key);
    this.dirty.delete(key);
    this.urgentKeys.delete(key);
    waiter(key);
  }

  /** The worker finished with the key; if it was re-added meanwhile, it goes back in line. */
  done(key: string): void {
    this.processing.delete(key);
    if (!this.dirty.has(key) || this.shuttingDown) return;
    const waiter = this.waiters.shift();
    if (waiter) this.take(key, waiter);
    else this.lane(key).push(key);
  }

  get length(): number {
    return this.urgentQueue.length + this.queue.length;
  }

  /** Keys waiting for a worker, keys waiting for their delay, keys being processed. */
  depth(): { ready: number; delayed: number; processing: number } {
    return {
      ready: this.length,
      delayed: this.timers.size + this.rechecks.size,
      processing: this.processing.size,
    };
  }

  /** Stops handing out keys; waiting workers receive undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const timer of this.rechecks.values()) clearTimeout(timer);
    this.rechecks.clear();
    this.queue.length = 0;
    this.urgentQueue.length = 0;
    this.urgentKeys.clear();
    this.dirty.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter(undefined);
  }
}
