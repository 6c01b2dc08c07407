import { describe, expect, it } from "vitest";
import { listChangesSince } from "@/lib/services/change-log/list-changes-since";
import { createSite } from "@/lib/services/site/create-site";
import { deleteSite } from "@/lib/services/site/delete-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

describe("listChangesSince", () => {
  it("returns only changes of reachable accounts, after the cursor, oldest first", async () => {
    const p = db().prisma;
    const root = await createTestAccount(p, { slug: "root", kind: "PLATFORM" });
    const acme = await createTestAccount(p, { slug: "acme", parent: root });
    const globex = await createTestAccount(p, { slug: "globex", parent: root });
    const acmeOwner = await createTestUser(p, {
      email: "o@acme.test",
      roles: [{ account: acme, role: "OWNER" }],
    });
    const globexOwner = await createTestUser(p, {
      email: "o@globex.test",
      roles: [{ account: globex, role: "OWNER" }],
    });
    const rootViewer = await createTestUser(p, {
      email: "v@root.test",
      roles: [{ account: root, role: "VIEWER" }],
    });
    const nobody = await createTestUser(p, { email: "nobody@test.test" });

    const { site: a } = await createSite({
      actor: { userId: acmeOwner.id },
      accountId: acme.id,
      input: { name: "a", domain: "a.test" },
    });
    const { site: g } = await createSite({
      actor: { userId: globexOwner.id },
      accountId: globex.id,
      input: { name: "g", domain: "g.test" },
    });
    await deleteSite({ actor: { userId: acmeOwner.id }, siteId: a.id });

    const acmeChanges = await listChangesSince({ actor: { userId: acmeOwner.id }, since: 0n });
    expect(acmeChanges.map((c) => [c.objectId, c.action])).toEqual([
      [a.id, "CREATED"],
      [a.id, "UPDATED"],
    ]);
    expect(acmeChanges.every((c) => c.kind === "Site" && /^\d+$/.test(c.resourceVersion))).toBe(true);

    const [first] = acmeChanges;
    const after = await listChangesSince({
      actor: { userId: acmeOwner.id },
      since: BigInt(first?.resourceVersion ?? "0"),
    });
    expect(after.map((c) => c.action)).toEqual(["UPDATED"]);

    const everything = await listChangesSince({ actor: { userId: rootViewer.id }, since: 0n });
    expect(everything.map((c) => c.objectId)).toEqual([a.id, g.id, a.id]);
    const resourceVersions = everything.map((c) => BigInt(c.resourceVersion));
    expect([...resourceVersions].sort((x, y) => (x < y ? -1 : 1))).toEqual(resourceVersions);

    expect(await listChangesSince({ actor: { userId: rootViewer.id }, since: 0n, limit: 1 })).toHaveLength(1);
    expect(await listChangesSince({ actor: { userId: nobody.id }, since: 0n })).toEqual([]);
  });
});
