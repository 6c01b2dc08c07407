import { describe, expect, it } from "vitest";
import { ChangeCursor, type ChangeRow, parseWorkKey, workFromChanges, workKey } from "./change-feed";

const row = (id: number, kind: string, objectId: string, extra: Partial<ChangeRow> = {}): ChangeRow => ({
  id: BigInt(id),
  kind,
  objectId,
  action: "UPDATED",
  data: null,
  ...extra,
});

describe("the change feed's work", () => {
  it("queues a changed site, and the site a part of it names", () => {
    const work = workFromChanges([
      row(1, "Site", "s1", { action: "CREATED" }),
      row(2, "Domain", "d1", { data: { siteId: "s2", hostname: "example.com" } }),
    ]);
    expect([...work.keys]).toEqual(["site/s1", "site/s2"]);
    expect(work.accounts.size).toBe(0);
    expect(work.resync).toBe(false);
  });

  it("ignores the reconciler's own status writes", () => {
    const work = workFromChanges([row(1, "Site", "s1", { action: "STATUS", data: { siteId: "s1" } })]);
    expect(work.keys.size).toBe(0);
  });

  it("hands accounts and plans over for expansion, and a catalog change as a resync", () => {
    const work = workFromChanges([
      row(1, "Account", "a1"),
      row(2, "Plan", "p1"),
      row(3, "Account", "a1"),
      row(4, "RuntimeImage", "r1"),
    ]);
    expect([...work.accounts]).toEqual(["a1"]);
    expect([...work.plans]).toEqual(["p1"]);
    expect(work.resync).toBe(true);
    expect(work.keys.size).toBe(0);
  });

  it("routes registered kinds to their own reconciler, and nothing else", () => {
    const rows = [row(1, "CronJob", "c1", { data: { siteId: "s1" } }), row(2, "User", "u1")];
    expect([...workFromChanges(rows, { Site: "site", CronJob: "cronjob" }).keys]).toEqual([
      "cronjob/c1",
      "site/s1",
    ]);
    expect([...workFromChanges([row(2, "User", "u1")]).keys]).toEqual([]);
  });

  it("round-trips work keys, ids with slashes included", () => {
    expect(parseWorkKey(workKey("site", "abc"))).toEqual({ kind: "site", id: "abc" });
    expect(parseWorkKey("database/a/b")).toEqual({ kind: "database", id: "a/b" });
    expect(() => parseWorkKey("nokind")).toThrow(/not a work key/);
  });
});

describe("the change cursor", () => {
  it("hands out each id once, in order", () => {
    const cursor = new ChangeCursor(10n, 5n);
    expect(cursor.floor).toBe(5n);
    expect(cursor.fresh([11n, 13n, 12n])).toEqual([11n, 12n, 13n]);
    cursor.advance([11n, 12n, 13n]);
    expect(cursor.position).toBe(13n);
    expect(cursor.fresh([11n, 12n, 13n])).toEqual([]);
  });

  it("still hands out a row that commits after rows with higher ids", () => {
    const cursor = new ChangeCursor(0n, 200n);
    cursor.advance([1n, 3n]);
    // Id 2 was taken before 3 but committed after it.
    expect(cursor.fresh([1n, 2n, 3n, 4n])).toEqual([2n, 4n]);
    cursor.advance([2n, 4n]);
    expect(cursor.fresh([1n, 2n, 3n, 4n])).toEqual([]);
  });

  it("treats rows below the start as handled by the initial resync, and keeps its memory to the window", () => {
    const cursor = new ChangeCursor(1000n, 10n);
    expect(cursor.floor).toBe(990n);
    cursor.advance([1001n, 1020n]);
    expect(cursor.floor).toBe(1010n);
    // 1001 fell below the window: it is no longer remembered, and no longer read.
    expect(cursor.fresh([1015n, 1020n])).toEqual([1015n]);
  });
});
