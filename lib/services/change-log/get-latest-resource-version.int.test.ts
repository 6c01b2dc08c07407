import { describe, expect, it } from "vitest";
import { getLatestResourceVersion } from "@/lib/services/change-log/get-latest-resource-version";
import { listChangesSince } from "@/lib/services/change-log/list-changes-since";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

describe("getLatestResourceVersion", () => {
  it("is 0 for an empty log, then the newest change's id, so that a stream starting there sees only later changes", async () => {
    const p = db().prisma;
    expect(await getLatestResourceVersion()).toBe(0n);
    const root = await createTestAccount(p, { slug: "root", kind: "PLATFORM" });
    const acme = await createTestAccount(p, { slug: "acme", parent: root });
    const owner = await createTestUser(p, {
      email: "o@acme.test",
      roles: [{ account: acme, role: "OWNER" }],
    });
    const actor = { userId: owner.id };

    await createSite({ actor, accountId: acme.id, input: { name: "a", domain: "a.test" } });
    const seen = await listChangesSince({ actor, since: 0n });
    const latest = await getLatestResourceVersion();
    expect(latest).toBe(BigInt(seen.at(-1)?.resourceVersion ?? "-1"));
    expect(await listChangesSince({ actor, since: latest })).toEqual([]);

    const { site: b } = await createSite({
      actor,
      accountId: acme.id,
      input: { name: "b", domain: "b.test" },
    });
    const after = await listChangesSince({ actor, since: latest });
    expect(after.map((c) => c.objectId)).toContain(b.id);
    expect(await getLatestResourceVersion()).toBeGreaterThan(latest);
  });
});
