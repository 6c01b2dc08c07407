import { describe, expect, it } from "vitest";
import { Sequencer } from "./sequencer";

const rows = (...ids: number[]) => ids.map((id) => ({ id: BigInt(id) }));
const ids = (out: { id: bigint }[]) => out.map((r) => Number(r.id));

describe("Sequencer", () => {
  it("delivers contiguous rows at once, in id order", () => {
    const s = new Sequencer(10n, 1000);
    expect(ids(s.push(rows(12, 11, 13), 0))).toEqual([11, 12, 13]);
    expect(s.position).toBe(13n);
  });

  it("holds rows above a gap until the gap fills", () => {
    const s = new Sequencer(10n, 1000);
    expect(ids(s.push(rows(12, 13), 0))).toEqual([]);
    expect(s.position).toBe(10n);
    expect(s.waiting).toBe(2);
    expect(ids(s.push(rows(11), 500))).toEqual([11, 12, 13]);
    expect(s.position).toBe(13n);
  });

  it("gives up on a gap open longer than the hold, then delivers a late row out of order", () => {
    const s = new Sequencer(10n, 1000);
    expect(ids(s.push(rows(12), 0))).toEqual([]);
    expect(ids(s.push([], 999))).toEqual([]);
    expect(ids(s.push([], 1000))).toEqual([12]);
    expect(s.position).toBe(12n);
    // Id 11 committed after all: it is not lost.
    expect(ids(s.push(rows(11, 13), 2000))).toEqual([11, 13]);
    expect(s.position).toBe(13n);
  });

  it("measures each gap from when it opened", () => {
    const s = new Sequencer(0n, 100);
    s.push(rows(2), 0);
    expect(ids(s.push(rows(1, 4), 90))).toEqual([1, 2]);
    // The gap at 3 opened at 90, not at 0.
    expect(ids(s.push([], 150))).toEqual([]);
    expect(ids(s.push([], 190))).toEqual([4]);
  });
});
