import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

describe("verifyCredentials", () => {
  it("accepts the right password with any email case and rejects everything else", async () => {
    const user = await createTestUser(db().prisma, {
      email: "ada@example.test",
      name: "Ada",
      passwordHash: await hashPassword("analytical engine"),
    });
    const expected = { id: user.id, email: "ada@example.test", name: "Ada" };
    expect(await verifyCredentials({ email: "ada@example.test", password: "analytical engine" })).toEqual(
      expected,
    );
    expect(await verifyCredentials({ email: " ADA@Example.TEST ", password: "analytical engine" })).toEqual(
      expected,
    );
    expect(await verifyCredentials({ email: "ada@example.test", password: "analytical engine!" })).toBeNull();
    expect(
      await verifyCredentials({ email: "nobody@example.test", password: "analytical engine" }),
    ).toBeNull();
  });

  it("spends comparable time on unknown users and wrong passwords", async () => {
    await createTestUser(db().prisma, { email: "bob@example.test", passwordHash: await hashPassword("pw") });
    await verifyCredentials({ email: "warm-up@example.test", password: "x" });
    // The fastest of three runs filters out pauses caused by other work on the machine.
    const fastest = async (email: string) => {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i += 1) {
        const start = performance.now();
        await verifyCredentials({ email, password: "wrong" });
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const known = await fastest("bob@example.test");
    const unknown = await fastest("nobody@example.test");
    // Both run one argon2id verification (tens of ms); without the dummy hash "unknown" takes ~1 ms.
    expect(unknown).toBeGreaterThan(known / 3);
  });
});
