import { describe, expect, it } from "vitest";
import { percentile, rssBytes } from "./support";

describe("percentile", () => {
  it("takes the nearest rank: the smallest sample with p percent at or below it", () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 95)).toBe(10);
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile(ten, 100)).toBe(10);
    expect(percentile(ten, 0)).toBe(1);
    expect(percentile(Float64Array.from([10, 20, 30]), 50)).toBe(20);
  });

  it("is NaN without samples", () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("rssBytes", () => {
  it("reads this process's resident memory, and undefined for a process that is not there", () => {
    const rss = rssBytes(process.pid) ?? 0;
    // /proc and process.memoryUsage() read the same figure moments apart.
    expect(rss).toBeGreaterThan(process.memoryUsage().rss / 2);
    expect(rssBytes(2 ** 22 + 1)).toBeUndefined();
  });
});
