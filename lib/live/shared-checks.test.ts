import { describe, expect, it } from "vitest";
import { SharedChecks } from "@/lib/live/shared-checks";

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("SharedChecks", () => {
  it("answers every caller on a key from one check until it is maxAgeMs old", async () => {
    const c = clock();
    const checks = new SharedChecks(2_500, c.now);
    let runs = 0;
    const run = async () => {
      runs += 1;
      return true;
    };
    const answers = await Promise.all(Array.from({ length: 10 }, () => checks.check("session:a", run)));
    expect(answers).toEqual(Array(10).fill(true));
    expect(runs).toBe(1);
    c.advance(2_499);
    await checks.check("session:a", run);
    expect(runs).toBe(1);
    c.advance(1);
    await checks.check("session:a", run);
    expect(runs).toBe(2);
  });

  it("keeps keys apart: a revoked credential does not answer for another", async () => {
    const checks = new SharedChecks(2_500, clock().now);
    expect(await checks.check("token:revoked", async () => false)).toBe(false);
    expect(await checks.check("token:valid", async () => true)).toBe(true);
    expect(await checks.check("token:revoked", async () => true)).toBe(false);
  });

  it("does not keep a check that failed: the next caller asks again", async () => {
    const checks = new SharedChecks(2_500, clock().now);
    await expect(checks.check("session:a", async () => Promise.reject(new Error("db down")))).rejects.toThrow(
      "db down",
    );
    expect(await checks.check("session:a", async () => true)).toBe(true);
  });

  it("forgets answers once they are old, however many keys came and went", async () => {
    const c = clock();
    const checks = new SharedChecks(2_500, c.now);
    for (let i = 0; i < 1_000; i += 1) await checks.check(`session:${i}`, async () => true);
    expect(checks.size).toBe(1_000);
    c.advance(2_500);
    await checks.check("session:new", async () => true);
    expect(checks.size).toBe(1);
  });
});
