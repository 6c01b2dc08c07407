import { describe, expect, it } from "vitest";
import { THROTTLE_RULES } from "@/lib/auth/sign-in-throttle";
import { createSignInThrottle } from "@/lib/auth/sign-in-throttle-store";
import { createPrismaClient } from "@/lib/db";
import { withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

function clock(start = Date.UTC(2026, 10, 30, 12)) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe("the sign-in throttle in the database", () => {
  it("delays an email at one address, never the same email at another", async () => {
    const c = clock();
    const throttle = createSignInThrottle({ db: db().prisma, now: c.now });
    const attacker = { email: "Ann@Example.test", ip: "203.0.113.1" };
    for (let i = 0; i < 5; i++) {
      expect(await throttle.retryAfterSeconds(attacker)).toBeNull();
      await throttle.recordFailure(attacker);
    }
    // Same email whatever its case.
    expect(await throttle.retryAfterSeconds({ email: "ann@example.test", ip: "203.0.113.1" })).toBe(15);
    expect(await throttle.retryAfterSeconds({ email: "ann@example.test", ip: "203.0.113.2" })).toBeNull();
    c.advance(15_000);
    expect(await throttle.retryAfterSeconds(attacker)).toBeNull();
    await throttle.recordFailure(attacker);
    expect(await throttle.retryAfterSeconds(attacker)).toBe(30);
  });

  it("counts an IPv6 client by its /64, so rotating addresses within it gains nothing", async () => {
    const throttle = createSignInThrottle({ db: db().prisma });
    for (let i = 1; i <= 5; i++)
      await throttle.recordFailure({ email: "v6@example.test", ip: `2001:db8:5:6::${i}` });
    expect(await throttle.retryAfterSeconds({ email: "v6@example.test", ip: "2001:db8:5:6:ffff::9" })).toBe(
      15,
    );
    expect(await throttle.retryAfterSeconds({ email: "v6@example.test", ip: "2001:db8:5:7::1" })).toBeNull();
  });

  it("stores no email address, only hashes", async () => {
    const throttle = createSignInThrottle({ db: db().prisma });
    await throttle.recordFailure({ email: "hidden@example.test", ip: "203.0.113.3" });
    const rows = await db().prisma.signInThrottle.findMany();
    expect(JSON.stringify(rows)).not.toContain("hidden");
    for (const row of rows) expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("forgets the email's failures at that address after a success, not the address's", async () => {
    const c = clock();
    const rules = { ...THROTTLE_RULES, ADDRESS: { ...THROTTLE_RULES.ADDRESS, freeFailures: 5 } };
    const throttle = createSignInThrottle({ db: db().prisma, now: c.now, rules });
    const attempt = { email: "bob@example.test", ip: "203.0.113.4" };
    for (let i = 0; i < 5; i++) await throttle.recordFailure(attempt);
    await throttle.recordSuccess(attempt);
    await throttle.recordFailure(attempt);
    expect(await throttle.retryAfterSeconds({ email: "carol@example.test", ip: "203.0.113.4" })).toBe(900);
  });

  it("is shared by processes: two throttles over one database see each other's failures", async () => {
    const other = createPrismaClient(db().url);
    try {
      const a = createSignInThrottle({ db: db().prisma });
      const b = createSignInThrottle({ db: other });
      const attempt = { email: "shared@example.test", ip: "203.0.113.5" };
      await a.recordFailure(attempt);
      await b.recordFailure(attempt);
      await a.recordFailure(attempt);
      await b.recordFailure(attempt);
      expect(await a.retryAfterSeconds(attempt)).toBeNull();
      await b.recordFailure(attempt);
      expect(await a.retryAfterSeconds(attempt)).toBe(15);
      expect(await b.retryAfterSeconds(attempt)).toBe(15);
    } finally {
      await other.$disconnect();
    }
  });

  it("counts every one of many concurrent failures from several processes", async () => {
    const other = createPrismaClient(db().url);
    try {
      const throttles = [createSignInThrottle({ db: db().prisma }), createSignInThrottle({ db: other })];
      const attempt = { email: "race@example.test", ip: "203.0.113.6" };
      await Promise.all(Array.from({ length: 20 }, (_, i) => throttles[i % 2]?.recordFailure(attempt)));
      const rows = await db().prisma.signInThrottle.findMany({ select: { kind: true, failures: true } });
      expect(
        rows
          .filter((r) => r.failures === 20)
          .map((r) => r.kind)
          .sort(),
      ).toEqual(["ADDRESS", "EMAIL_AND_ADDRESS"]);
    } finally {
      await other.$disconnect();
    }
  });

  it("prunes rows whose window is over and no wait runs", async () => {
    await db().prisma.signInThrottle.deleteMany();
    const c = clock(Date.UTC(2030, 0, 1));
    const rules = {
      ...THROTTLE_RULES,
      EMAIL_AND_ADDRESS: { ...THROTTLE_RULES.EMAIL_AND_ADDRESS, windowMs: 60_000 },
    };
    const throttle = createSignInThrottle({ db: db().prisma, now: c.now, rules });
    await throttle.recordFailure({ email: "old@example.test", ip: "203.0.113.7" });
    for (let i = 0; i < 20; i++)
      await throttle.recordFailure({ email: "blocked@example.test", ip: "203.0.113.7" });
    c.advance(60_000);
    // The first pair's window is over; the blocked pair waits out its 15 minutes, the address its window.
    expect(await throttle.prune()).toBe(1);
    expect(await throttle.retryAfterSeconds({ email: "blocked@example.test", ip: "203.0.113.7" })).toBe(840);
    c.advance(14 * 60_000);
    expect(await throttle.prune()).toBe(2);
    expect(await db().prisma.signInThrottle.count()).toBe(0);
  });
});
