import { afterEach, describe, expect, it, vi } from "vitest";
import { WorkQueue } from "./work-queue";

afterEach(() => {
  vi.useRealTimers();
});

describe("WorkQueue", () => {
  it("dedupes keys added before a worker takes them", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.length).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
  });

  it("never hands one key to two workers; a re-add while processing runs after done", async () => {
    const q = new WorkQueue();
    q.add("a");
    const key = await q.get();
    expect(key).toBe("a");
    q.add("a");
    expect(q.length).toBe(0);
    let second: string | undefined = "pending";
    const waiting = q.get().then((k) => {
      second = k;
    });
    await Promise.resolve();
    expect(second).toBe("pending");
    q.done("a");
    await waiting;
    expect(second).toBe("a");
  });

  it("hands a key straight to a waiting worker", async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.add("x");
    expect(await next).toBe("x");
  });

  it("backs off exponentially per key up to the cap, and forget resets it", () => {
    vi.useFakeTimers();
    const q = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5, 6].map(() => q.addRateLimited("k"))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(q.addRateLimited("other")).toBe(100);
    q.forget("k");
    expect(q.addRateLimited("k")).toBe(100);
  });

  it("adds delayed keys when their time comes, keeping the earliest delay", async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.addAfter("k", 1000);
    q.addAfter("k", 5000);
    vi.advanceTimersByTime(999);
    expect(q.length).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe("k");
  });

  it("keeps only the latest pass's recheck of a key: moved to its time, or dropped when it asks none", async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.recheck("k", 1000);
    q.recheck("k", 5000);
    vi.advanceTimersByTime(4999);
    expect(q.length).toBe(0);
    vi.advanceTimersByTime(1);
    expect(await q.get()).toBe("k");
    q.done("k");

    // A pass that needs no recheck drops the one an earlier pass asked for.
    q.recheck("k", 1000);
    q.recheck("k", undefined);
    vi.advanceTimersByTime(10_000);
    expect(q.depth()).toEqual({ ready: 0, delayed: 0, processing: 0 });

    // A cluster event's wake is no pass's to drop.
    q.addAfter("k", 100);
    q.recheck("k", undefined);
    expect(q.depth().delayed).toBe(1);
    vi.advanceTimersByTime(100);
    expect(await q.get()).toBe("k");
  });

  it("releases waiting workers on shutdown and accepts nothing after", async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add("a");
    expect(await q.get()).toBeUndefined();
  });

  it("hands out urgent keys before routine ones, each lane in order", async () => {
    const q = new WorkQueue();
    q.add("look-1");
    q.add("new-1", { urgent: true });
    q.add("look-2");
    q.add("new-2", { urgent: true });
    expect(q.length).toBe(4);
    expect([await q.get(), await q.get(), await q.get(), await q.get()]).toEqual([
      "new-1",
      "new-2",
      "look-1",
      "look-2",
    ]);
  });

  it("hands out one routine key after every burst of urgent ones while both lanes wait", async () => {
    // Thousands of new sites queued at once must not hold back every site's later passes (which
    // bring it to Running) and every retry until the last first pass is done.
    const q = new WorkQueue({ urgentBurst: 3 });
    for (const n of [1, 2, 3, 4, 5, 6, 7]) q.add(`new-${n}`, { urgent: true });
    q.add("look-1");
    q.add("look-2");
    const order: Array<string | undefined> = [];
    for (let i = 0; i < 9; i++) order.push(await q.get());
    expect(order).toEqual([
      "new-1",
      "new-2",
      "new-3",
      "look-1",
      "new-4",
      "new-5",
      "new-6",
      "look-2",
      "new-7",
    ]);
  });

  it("counts a burst only while routine keys wait", async () => {
    const q = new WorkQueue({ urgentBurst: 2 });
    q.add("new-1", { urgent: true });
    q.add("new-2", { urgent: true });
    expect([await q.get(), await q.get()]).toEqual(["new-1", "new-2"]);
    // The two urgent keys above went while no routine key waited: the burst starts now.
    q.add("look-1");
    q.add("new-3", { urgent: true });
    q.add("new-4", { urgent: true });
    q.add("new-5", { urgent: true });
    expect([await q.get(), await q.get(), await q.get(), await q.get()]).toEqual([
      "new-3",
      "new-4",
      "look-1",
      "new-5",
    ]);
  });

  it("moves a waiting routine key ahead when it is added again as urgent, and never demotes one", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    q.add("c", { urgent: true });
    q.add("b", { urgent: true });
    q.add("c");
    expect(q.length).toBe(3);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(["c", "b", "a"]);
  });

  it("puts a key re-added as urgent while processing in the urgent lane when it is done", async () => {
    const q = new WorkQueue();
    q.add("busy");
    expect(await q.get()).toBe("busy");
    q.add("routine");
    q.add("busy", { urgent: true });
    q.done("busy");
    expect([await q.get(), await q.get()]).toEqual(["busy", "routine"]);
    // Handed out, it is routine again unless added as urgent anew.
    q.done("busy");
    q.add("x");
    q.add("busy");
    expect([await q.get(), await q.get()]).toEqual(["x", "busy"]);
  });

  it("keeps a delayed key urgent when any of its pending adds was", async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.add("routine");
    q.addAfter("k", 1000);
    q.addAfter("k", 5000, { urgent: true });
    vi.advanceTimersByTime(1000);
    expect([await q.get(), await q.get()]).toEqual(["k", "routine"]);
  });
});
