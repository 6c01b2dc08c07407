import { beforeAll, describe, expect, it } from "vitest";
import type { Account, User } from "@/lib/generated/prisma/client";
import { listOwnAccounts } from "@/lib/services/account/list-own-accounts";
import { loadAccountShell } from "@/lib/services/account/load-account-shell";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

/**
 *   platform ─┬─ res ─┬─ agency ── client
 *             │       └─ c00 … c59
 *             └─ other ── foreign
 */
describe("loadAccountShell and listOwnAccounts", () => {
  let platform: Account;
  let res: Account;
  let agency: Account;
  let client: Account;
  let foreign: Account;
  let operator: User;
  let resOwner: User;
  let agencyAdmin: User;
  let clientDev: User;

  beforeAll(async () => {
    const p = db().prisma;
    platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM", name: "Platform" });
    res = await createTestAccount(p, { slug: "res", kind: "RESELLER", parent: platform, name: "Res" });
    agency = await createTestAccount(p, { slug: "agency", kind: "AGENCY", parent: res, name: "Agency" });
    client = await createTestAccount(p, { slug: "client", parent: agency, name: "Client" });
    for (let i = 0; i < 60; i += 1) {
      await createTestAccount(p, { slug: `c${String(i).padStart(2, "0")}`, parent: res });
    }
    const other = await createTestAccount(p, {
      slug: "other",
      kind: "RESELLER",
      parent: platform,
      name: "Other",
    });
    foreign = await createTestAccount(p, { slug: "foreign", parent: other, name: "Foreign" });
    operator = await createTestUser(p, {
      email: "op@test.test",
      roles: [{ account: platform, role: "OWNER" }],
    });
    resOwner = await createTestUser(p, { email: "res@test.test", roles: [{ account: res, role: "OWNER" }] });
    agencyAdmin = await createTestUser(p, {
      email: "agency@test.test",
      roles: [
        { account: agency, role: "ADMIN" },
        { account: client, role: "VIEWER" },
        { account: foreign, role: "DEVELOPER" },
      ],
    });
    clientDev = await createTestUser(p, {
      email: "client@test.test",
      roles: [{ account: client, role: "DEVELOPER" }],
    });
  });

  it("loads a deep account for the operator with its ancestors, and lists only the operator's own accounts", async () => {
    const shell = await loadAccountShell({ actor: { userId: operator.id }, slug: "client" });
    expect(shell?.account).toMatchObject({ id: client.id, role: "OWNER" });
    expect(shell?.ancestors.map((a) => [a.slug, a.role])).toEqual([
      ["platform", "OWNER"],
      ["res", "OWNER"],
      ["agency", "OWNER"],
    ]);
    // Not the 60 customers, nor the other tree: those are for the search.
    expect(shell?.switcher.map((a) => a.slug)).toEqual(["agency", "client", "platform", "res"]);
    expect(shell?.reachesMore).toBe(true);
  });

  it("shows only the ancestors the caller reaches, with each role", async () => {
    const shell = await loadAccountShell({ actor: { userId: agencyAdmin.id }, slug: "client" });
    expect(shell?.account).toMatchObject({ slug: "client", role: "ADMIN" });
    expect(shell?.ancestors.map((a) => [a.slug, a.role])).toEqual([["agency", "ADMIN"]]);
    expect(shell?.switcher.map((a) => [a.slug, a.role])).toEqual([
      ["agency", "ADMIN"],
      ["client", "ADMIN"],
      ["foreign", "DEVELOPER"],
    ]);
    expect(shell?.reachesMore).toBe(false);
  });

  it("answers null for a foreign slug and an unknown one alike", async () => {
    expect(await loadAccountShell({ actor: { userId: resOwner.id }, slug: "foreign" })).toBeNull();
    expect(await loadAccountShell({ actor: { userId: resOwner.id }, slug: "other" })).toBeNull();
    expect(await loadAccountShell({ actor: { userId: resOwner.id }, slug: "platform" })).toBeNull();
    expect(await loadAccountShell({ actor: { userId: resOwner.id }, slug: "no-such" })).toBeNull();
    expect(await loadAccountShell({ actor: { userId: clientDev.id }, slug: "agency" })).toBeNull();
  });

  it("offers no search to a user who reaches nothing beyond the accounts listed", async () => {
    const shell = await loadAccountShell({ actor: { userId: clientDev.id }, slug: "client" });
    expect(shell?.ancestors).toEqual([]);
    expect(shell?.switcher.map((a) => a.slug)).toEqual(["client"]);
    expect(shell?.reachesMore).toBe(false);
  });

  it("keeps to an API token's subtree and role", async () => {
    const actor = {
      userId: operator.id,
      token: { id: "t", name: "t", accountId: agency.id, accountPath: agency.path, role: "VIEWER" as const },
    };
    expect(await loadAccountShell({ actor, slug: "res" })).toBeNull();
    const shell = await loadAccountShell({ actor, slug: "client" });
    expect(shell?.account.role).toBe("VIEWER");
    expect(shell?.ancestors.map((a) => a.slug)).toEqual(["agency"]);
    expect(shell?.switcher.map((a) => a.slug)).toEqual(["agency", "client"]);
  });

  it("lists the accounts at the top of what each user reaches, for the home page", async () => {
    expect((await listOwnAccounts({ actor: { userId: operator.id } })).map((a) => a.slug)).toEqual([
      "platform",
    ]);
    expect(
      (await listOwnAccounts({ actor: { userId: agencyAdmin.id } })).map((a) => [a.slug, a.role]),
    ).toEqual([
      ["agency", "ADMIN"],
      ["foreign", "DEVELOPER"],
    ]);
    expect((await listOwnAccounts({ actor: { userId: clientDev.id } })).map((a) => a.slug)).toEqual([
      "client",
    ]);
  });
});
