import { describe, expect, it } from "vitest";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

describe("listMyAccounts", () => {
  it("lists accounts reached through memberships and ancestors with the strongest role", async () => {
    const p = db().prisma;
    const root = await createTestAccount(p, { slug: "root", kind: "PLATFORM", name: "Root" });
    const reseller = await createTestAccount(p, {
      slug: "res",
      kind: "RESELLER",
      parent: root,
      name: "Reseller",
    });
    const acme = await createTestAccount(p, { slug: "acme", parent: reseller, name: "Acme" });
    await createTestAccount(p, { slug: "globex", parent: root, name: "Globex" });
    const user = await createTestUser(p, {
      email: "mixed@test.test",
      roles: [
        { account: reseller, role: "VIEWER" },
        { account: acme, role: "ADMIN" },
      ],
    });

    const accounts = await listMyAccounts({ actor: { userId: user.id } });
    expect(accounts.map((a) => [a.slug, a.role])).toEqual([
      ["acme", "ADMIN"],
      ["res", "VIEWER"],
    ]);
    expect(accounts[0]).toEqual({
      id: acme.id,
      slug: "acme",
      name: "Acme",
      kind: "CUSTOMER",
      status: "ACTIVE",
      role: "ADMIN",
      parentId: reseller.id,
      conditions: [],
    });

    const stranger = await createTestUser(p, { email: "none@test.test" });
    expect(await listMyAccounts({ actor: { userId: stranger.id } })).toEqual([]);
  });
});
