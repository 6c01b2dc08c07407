import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { Account } from "@/lib/generated/prisma/client";
import { createApiToken } from "@/lib/services/api-token/create-api-token";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { GET } from "./route";

const db = withTestDatabase();

let secret: string;
let res: Account;

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM", name: "Platform" });
  res = await createTestAccount(p, { slug: "res", kind: "RESELLER", parent: platform, name: "Res" });
  for (let i = 0; i < 5; i += 1)
    await createTestAccount(p, { slug: `c${i}`, parent: res, name: `Client ${i}` });
  const other = await createTestAccount(p, {
    slug: "other",
    kind: "RESELLER",
    parent: platform,
    name: "Other",
  });
  await createTestAccount(p, { slug: "foreign", parent: other, name: "Client foreign" });
  const owner = await createTestUser(p, {
    email: "owner@test.test",
    roles: [{ account: res, role: "OWNER" }],
  });
  ({ secret } = await createApiToken({
    actor: { userId: owner.id, ip: "198.51.100.1" },
    accountId: res.id,
    input: { name: "ci", role: "VIEWER", expiresInDays: 30 },
  }));
});

async function get(query: string): Promise<{ status: number; body: unknown }> {
  const req = new NextRequest(`http://127.0.0.1:3000/api/v1/accounts${query}`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  const response = await GET(req, { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}

describe("GET /api/v1/accounts", () => {
  it("pages the accounts the caller reaches with a cursor", async () => {
    const first = await get("?limit=4");
    expect(first.status).toBe(200);
    const page = first.body as { accounts: { slug: string; role: string }[]; nextCursor: string | null };
    expect(page.accounts.map((a) => a.slug)).toEqual(["c0", "c1", "c2", "c3"]);
    expect(page.accounts.every((a) => a.role === "VIEWER")).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
    const second = await get(`?limit=4&cursor=${encodeURIComponent(page.nextCursor ?? "")}`);
    expect(second.body).toMatchObject({ accounts: [{ slug: "c4" }, { slug: "res" }], nextCursor: null });
  });

  it("searches by name without reaching a foreign account", async () => {
    const found = await get("?q=client");
    expect((found.body as { accounts: { slug: string }[] }).accounts.map((a) => a.slug)).toEqual([
      "c0",
      "c1",
      "c2",
      "c3",
      "c4",
    ]);
    expect(await get("?q=foreign")).toEqual({ status: 200, body: { accounts: [], nextCursor: null } });
  });

  it("answers a bad query with 400 and a JSON error naming the field, and nothing else", async () => {
    for (const [query, field] of [
      ["?limit=0", "limit"],
      ["?limit=1000", "limit"],
      ["?limit=abc", "limit"],
      ["?cursor=%7B%7D", "cursor"],
      [`?q=${"x".repeat(101)}`, "q"],
    ] as const) {
      const { status, body } = await get(query);
      expect(status, query).toBe(400);
      expect(body, query).toEqual({
        error: {
          code: "INVALID_INPUT",
          message: expect.any(String),
          fieldErrors: { [field]: expect.any(String) },
        },
      });
    }
  });
});
