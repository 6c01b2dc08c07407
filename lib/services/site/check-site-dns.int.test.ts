/**
 * checkSiteDns against the machine's real resolver, with names whose answers do not depend on the
 * network: `localhost` resolves to loopback (/etc/hosts), nothing under `.invalid` ever resolves
 * (RFC 6761). Database only (SITEPOD_SKIP_CLUSTER=1 is enough).
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { Account, User } from "@/lib/generated/prisma/client";
import { checkSiteDns } from "@/lib/services/site/check-site-dns";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

let acme: Account;
let owner: User;
let viewer: User;
let stranger: User;
let siteId: string;

const saved = {
  addresses: process.env.SITEPOD_PUBLIC_ADDRESSES,
  hostname: process.env.SITEPOD_PUBLIC_HOSTNAME,
};

function setTargets(addresses: string | undefined, hostname: string | undefined) {
  for (const [key, value] of [
    ["SITEPOD_PUBLIC_ADDRESSES", addresses],
    ["SITEPOD_PUBLIC_HOSTNAME", hostname],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  const globex = await createTestAccount(p, { slug: "globex", parent: platform });
  owner = await createTestUser(p, { email: "owner@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  viewer = await createTestUser(p, { email: "viewer@acme.test", roles: [{ account: acme, role: "VIEWER" }] });
  stranger = await createTestUser(p, {
    email: "owner@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
  const { site } = await createSite({
    actor: { userId: owner.id },
    accountId: acme.id,
    input: { name: "blog", domain: "blog.acme.test", app: "PHP" },
  });
  siteId = site.id;
  // Names no tenant may add through the panel (they are reserved), written directly: what matters
  // here is what the resolver says about them.
  await p.domain.update({
    where: { hostname: "blog.acme.test" },
    data: { hostname: "sitepod-check.invalid" },
  });
  await p.domain.createMany({
    data: [
      { siteId, hostname: "localhost" },
      { siteId, hostname: "www.sitepod-check.invalid" },
    ],
  });
});

afterEach(() => setTargets(saved.addresses, saved.hostname));

const byName = (view: Awaited<ReturnType<typeof checkSiteDns>>) =>
  Object.fromEntries(view.domains.map((d) => [d.hostname, d]));

describe("checkSiteDns", () => {
  it("lists the records to create and finds which names already lead here, within the time limit", async () => {
    // Both loopback addresses: /etc/hosts maps localhost to one or both, depending on the machine.
    setTargets("127.0.0.1, ::1", "gateway.sitepod-check.invalid");
    const started = Date.now();
    const view = await checkSiteDns({ actor: { userId: owner.id }, siteId });
    expect(Date.now() - started).toBeLessThan(4_000);

    expect(view).toMatchObject({
      siteId,
      targets: { addresses: ["127.0.0.1", "::1"], hostname: "gateway.sitepod-check.invalid" },
      loopbackOnly: true,
    });
    // Primary first, then by name.
    expect(view.domains.map((d) => d.hostname)).toEqual([
      "sitepod-check.invalid",
      "localhost",
      "www.sitepod-check.invalid",
    ]);
    const domains = byName(view);

    expect(domains["sitepod-check.invalid"]).toEqual({
      hostname: "sitepod-check.invalid",
      unicodeHostname: "sitepod-check.invalid",
      isPrimary: true,
      // The apex: addresses only.
      records: [
        { type: "A", name: "sitepod-check.invalid", host: "@", value: "127.0.0.1" },
        { type: "AAAA", name: "sitepod-check.invalid", host: "@", value: "::1" },
      ],
      check: { state: "not_found" },
    });
    // Below the apex: a CNAME to the platform's hostname, looked up too (and not found).
    expect(domains["www.sitepod-check.invalid"]).toMatchObject({
      records: [
        {
          type: "CNAME",
          name: "www.sitepod-check.invalid",
          host: "www",
          value: "gateway.sitepod-check.invalid",
        },
      ],
      check: { state: "not_found" },
    });

    const localhost = domains.localhost;
    expect(localhost?.check.state).toBe("points_here");
    expect(localhost?.check.state === "points_here" && localhost.check.addresses).toEqual(
      expect.arrayContaining(["127.0.0.1"]),
    );
  });

  it("says where a name points when that is not the platform", async () => {
    setTargets("192.0.2.10", undefined);
    const view = await checkSiteDns({ actor: { userId: viewer.id }, siteId });
    expect(view.loopbackOnly).toBe(false);
    const { localhost } = byName(view);
    expect(localhost?.records).toEqual([{ type: "A", name: "localhost", host: "@", value: "192.0.2.10" }]);
    expect(localhost?.check).toMatchObject({ state: "points_elsewhere", cname: null });
    expect(localhost?.check.state === "points_elsewhere" && localhost.check.elsewhere).toEqual(
      expect.arrayContaining(["127.0.0.1"]),
    );
    // No hostname configured: A records below the apex too.
    expect(byName(view)["www.sitepod-check.invalid"]?.records.map((r) => r.type)).toEqual(["A"]);
  });

  it("answers NOT_FOUND for another tenant's site and for a made-up id alike, looking nothing up", async () => {
    for (const [userId, id] of [
      [stranger.id, siteId],
      [owner.id, "nosuchsite000000000000000"],
    ] as const) {
      const err = await checkSiteDns({ actor: { userId }, siteId: id }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "NOT_FOUND", message: "Site not found." });
    }
  });

  it("refuses a bad setting, naming the variable", async () => {
    setTargets("127.0.0.1, gateway", undefined);
    await expect(checkSiteDns({ actor: { userId: owner.id }, siteId })).rejects.toThrow(
      'SITEPOD_PUBLIC_ADDRESSES: "gateway" is not an IPv4 or IPv6 address.',
    );
  });
});
