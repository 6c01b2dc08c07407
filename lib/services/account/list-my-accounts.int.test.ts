import { beforeAll, describe, expect, it } from "vitest";
import type { Account, User } from "@/lib/generated/prisma/client";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";
import type { Actor } from "@/lib/services/actor";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { rejection } from "@/tests/helpers/hosting";

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

    const { accounts, nextCursor } = await listMyAccounts({ actor: { userId: user.id } });
    expect(nextCursor).toBeNull();
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
    expect(await listMyAccounts({ actor: { userId: stranger.id } })).toEqual({
      accounts: [],
      nextCursor: null,
    });
  });
});

describe("listMyAccounts at scale: pages, search and scope", () => {
  let reseller: Account;
  let deep: Account;
  let owner: User;
  let foreignNames: string[];
  const CUSTOMERS = 130;

  beforeAll(async () => {
    const p = db().prisma;
    const platform = await createTestAccount(p, { slug: "s-platform", kind: "PLATFORM", name: "S Platform" });
    reseller = await createTestAccount(p, {
      slug: "s-res",
      kind: "RESELLER",
      parent: platform,
      name: "S Reseller",
    });
    const other = await createTestAccount(p, {
      slug: "s-other",
      kind: "RESELLER",
      parent: platform,
      name: "S Other",
    });
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const n = String(i).padStart(3, "0");
      await createTestAccount(p, { slug: `s-cust-${n}`, parent: reseller, name: `Customer ${n}` });
    }
    const agency = await p.account.findUniqueOrThrow({ where: { slug: "s-cust-007" } });
    deep = await createTestAccount(p, { slug: "s-deep-needle", parent: agency, name: "Needle Deep Client" });
    // Twins of the reseller's accounts in a tree its owner does not reach: names and slugs that match.
    foreignNames = ["Customer 001", "Needle Deep Client", "needle twin"];
    for (const [i, name] of foreignNames.entries()) {
      await createTestAccount(p, { slug: `s-foreign-needle-${i}`, parent: other, name });
    }
    owner = await createTestUser(p, {
      email: "s-owner@test.test",
      roles: [{ account: reseller, role: "OWNER" }],
    });
  });

  const actor = (): Actor => ({ userId: owner.id });

  it("pages through every reachable account once, by name, and nothing foreign", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listMyAccounts({
        actor: actor(),
        input: { limit: "25", ...(cursor ? { cursor } : {}) },
      });
      expect(page.accounts.length).toBeLessThanOrEqual(25);
      seen.push(...page.accounts.map((a) => a.slug));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(6); // 132 accounts (the reseller, 130 customers, one below a customer) by 25
    expect(seen).toHaveLength(CUSTOMERS + 2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(
      seen.filter((slug) => slug.includes("foreign") || slug === "s-other" || slug === "s-platform"),
    ).toEqual([]);
    const p = db().prisma;
    const names = await p.account.findMany({
      where: { slug: { in: seen } },
      select: { slug: true, name: true },
    });
    const nameOf = new Map(names.map((a) => [a.slug, a.name]));
    const inOrder = seen.map((slug) => nameOf.get(slug) ?? "");
    expect(inOrder).toEqual([...inOrder].sort((a, b) => a.localeCompare(b)));
  });

  it("finds an account deep in the tree by part of its name or slug, case-insensitively, never a foreign twin", async () => {
    const byName = await listMyAccounts({ actor: actor(), input: { q: "nEEDLE" } });
    expect(byName.accounts.map((a) => [a.slug, a.role])).toEqual([["s-deep-needle", "OWNER"]]);
    expect(byName.accounts[0]?.id).toBe(deep.id);
    const bySlug = await listMyAccounts({ actor: actor(), input: { q: "s-cust-12" } });
    expect(bySlug.accounts.map((a) => a.slug)).toEqual([
      "s-cust-120",
      "s-cust-121",
      "s-cust-122",
      "s-cust-123",
      "s-cust-124",
      "s-cust-125",
      "s-cust-126",
      "s-cust-127",
      "s-cust-128",
      "s-cust-129",
    ]);
    const twin = await listMyAccounts({ actor: actor(), input: { q: "Customer 001" } });
    expect(twin.accounts.map((a) => a.slug)).toEqual(["s-cust-001"]);
    // Wildcards are characters to match, not patterns.
    expect((await listMyAccounts({ actor: actor(), input: { q: "%" } })).accounts).toEqual([]);
    expect((await listMyAccounts({ actor: actor(), input: { q: "_" } })).accounts).toEqual([]);
  });

  it("reaches only the token's subtree, at most with the token's role", async () => {
    const p = db().prisma;
    const cust = await p.account.findUniqueOrThrow({ where: { slug: "s-cust-007" } });
    const page = await listMyAccounts({
      actor: {
        userId: owner.id,
        token: { id: "t", name: "t", accountId: cust.id, accountPath: cust.path, role: "VIEWER" },
      },
    });
    expect(page.accounts.map((a) => [a.slug, a.role])).toEqual([
      ["s-cust-007", "VIEWER"],
      ["s-deep-needle", "VIEWER"],
    ]);
  });

  it("refuses a bad query with INVALID_INPUT naming the field", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ limit: "0" }, "limit"],
      [{ limit: "101" }, "limit"],
      [{ limit: "ten" }, "limit"],
      [{ limit: "2.5" }, "limit"],
      [{ cursor: "not-a-cursor" }, "cursor"],
      [{ cursor: Buffer.from('{"n":1}').toString("base64url") }, "cursor"],
      [{ q: "x".repeat(101) }, "q"],
    ];
    for (const [input, field] of cases) {
      const error = await rejection(listMyAccounts({ actor: actor(), input }));
      expect(error.code, JSON.stringify(input)).toBe("INVALID_INPUT");
      expect(Object.keys(error.fieldErrors ?? {}), JSON.stringify(input)).toEqual([field]);
    }
  });
});
