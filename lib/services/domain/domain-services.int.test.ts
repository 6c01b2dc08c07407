import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import type { Account, User } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { addDomain } from "@/lib/services/domain/add-domain";
import { TLS_NOT_CONFIGURED_CODE } from "@/lib/services/domain/domain-view";
import { listDomains } from "@/lib/services/domain/list-domains";
import {
  LAST_DOMAIN_MESSAGE,
  PRIMARY_DOMAIN_MESSAGE,
  removeDomain,
} from "@/lib/services/domain/remove-domain";
import { setForceHttps } from "@/lib/services/domain/set-force-https";
import { PRIMARY_IS_SERVED_MESSAGE, updateDomain } from "@/lib/services/domain/update-domain";
import { DOMAIN_NOT_AVAILABLE_MESSAGE } from "@/lib/services/site/assert-domain-available";
import { createSite } from "@/lib/services/site/create-site";
import { deleteSite } from "@/lib/services/site/delete-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { limits } from "@/tests/helpers/hosting";

const db = withTestDatabase();

let acme: Account;
let globex: Account;
let acmeOwner: Actor;
let globexOwner: Actor;
let counter = 0;

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  globex = await createTestAccount(p, { slug: "globex", parent: platform });
  const a: User = await createTestUser(p, {
    email: "owner@acme.test",
    roles: [{ account: acme, role: "OWNER" }],
  });
  const g: User = await createTestUser(p, {
    email: "owner@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
  acmeOwner = { userId: a.id, ip: "203.0.113.7" };
  globexOwner = { userId: g.id, ip: null };
});

afterEach(() => {
  vi.unstubAllEnvs();
});

async function newSite(account: Account = acme, actor: Actor = acmeOwner) {
  counter += 1;
  const name = `site${counter}`;
  const { site } = await createSite({
    actor,
    accountId: account.id,
    input: { name, domain: `${name}-${account.slug}.example.test`, app: "PHP" },
  });
  return site;
}

/** Everything a refused domain write must leave as it was. */
async function snapshot() {
  const p = db().prisma;
  return {
    domains: await p.domain.findMany({ orderBy: { id: "asc" } }),
    sites: await p.site.findMany({
      select: { id: true, generation: true, forceHttps: true },
      orderBy: { id: "asc" },
    }),
    changes: await p.changeLog.count(),
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

async function generationOf(siteId: string): Promise<number> {
  return (await db().prisma.site.findUniqueOrThrow({ where: { id: siteId } })).generation;
}

describe("addDomain", () => {
  it("adds the domain as an alias, bumps the generation and appends a Site UPDATED change", async () => {
    const site = await newSite();
    const view = await addDomain({
      actor: acmeOwner,
      siteId: site.id,
      input: { domain: "Shop.Example.COM." },
    });
    expect(view.domains.map((d) => [d.hostname, d.isPrimary, d.redirectToPrimary])).toEqual([
      [site.primaryDomain, true, false],
      ["shop.example.com", false, false],
    ]);
    expect(await generationOf(site.id)).toBe(2);
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { objectId: site.id, action: "UPDATED" },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({ kind: "Site", actorUserId: acmeOwner.userId, actorIp: "203.0.113.7" });
    expect(change.data).toMatchObject({ domainsAdded: ["shop.example.com"] });
    expect(change.summary).toBe(`Added domain shop.example.com on site ${site.name}`);
  });

  it("stores an international name in punycode and shows both forms", async () => {
    const site = await newSite();
    const view = await addDomain({
      actor: acmeOwner,
      siteId: site.id,
      input: { domain: "bücher.example", redirectToPrimary: true },
    });
    const added = view.domains.find((d) => !d.isPrimary);
    expect(added).toMatchObject({
      hostname: "xn--bcher-kva.example",
      unicodeHostname: "bücher.example",
      redirectToPrimary: true,
    });
    expect(await db().prisma.domain.count({ where: { hostname: "xn--bcher-kva.example" } })).toBe(1);
    // The punycode spelling of the same name is the same domain.
    const err = await rejection(
      addDomain({ actor: acmeOwner, siteId: site.id, input: { domain: "xn--bcher-kva.example" } }),
    );
    expect(err.message).toBe("This site already has this domain.");
  });

  it("adds the www counterpart redirecting to the primary", async () => {
    const site = await newSite();
    const view = await addDomain({
      actor: acmeOwner,
      siteId: site.id,
      input: { domain: "counterpart.example", includeWww: true },
    });
    expect(view.domains.filter((d) => !d.isPrimary).map((d) => [d.hostname, d.redirectToPrimary])).toEqual([
      ["counterpart.example", false],
      ["www.counterpart.example", true],
    ]);
    // One generation and one change for both names.
    expect(await generationOf(site.id)).toBe(2);
  });

  it("refuses a bad name with the field's message and writes nothing", async () => {
    const site = await newSite();
    const before = await snapshot();
    const err = await rejection(
      addDomain({ actor: acmeOwner, siteId: site.id, input: { domain: "https://shop.example/blog" } }),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors).toEqual({
      domain: "Enter just the domain name, without http:// or a path (e.g. example.com).",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a domain another account holds with the neutral message, and writes nothing", async () => {
    const theirs = await newSite(globex, globexOwner);
    await addDomain({ actor: globexOwner, siteId: theirs.id, input: { domain: "taken.example" } });
    const site = await newSite();
    const before = await snapshot();
    for (const domain of ["taken.example", "www.taken.example", "TAKEN.example."]) {
      const err = await rejection(addDomain({ actor: acmeOwner, siteId: site.id, input: { domain } }));
      expect(err.code).toBe("CONFLICT");
      expect(err.message).toBe(DOMAIN_NOT_AVAILABLE_MESSAGE);
      expect(err.fieldErrors).toEqual({ domain: DOMAIN_NOT_AVAILABLE_MESSAGE });
      // Nothing in the answer says who holds it.
      expect(JSON.stringify(err.toJSON())).not.toContain(globex.slug);
    }
    // The counterpart of a free name, when the counterpart is held elsewhere: refused as a whole.
    const err = await rejection(
      addDomain({
        actor: acmeOwner,
        siteId: site.id,
        input: { domain: "www.taken.example", includeWww: true },
      }),
    );
    expect(err.message).toBe(DOMAIN_NOT_AVAILABLE_MESSAGE);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses what the plan's maxDomains does not allow, and writes nothing", async () => {
    const p = db().prisma;
    const small = await createTestAccount(p, { slug: "small" });
    const owner = await createTestUser(p, {
      email: "owner@small.test",
      roles: [{ account: small, role: "OWNER" }],
    });
    const plan = await p.plan.create({
      data: { ownerAccountId: acme.id, name: "two-domains", ...limits({ maxDomains: 2 }) },
    });
    await p.account.update({ where: { id: small.id }, data: { planId: plan.id } });
    const actor = { userId: owner.id, ip: null };
    const site = await newSite(small, actor);
    const before = await snapshot();
    // Two at once (the name and its counterpart) would make three.
    const err = await rejection(
      addDomain({ actor, siteId: site.id, input: { domain: "grow.example", includeWww: true } }),
    );
    const message =
      "Your plan allows 2 domains; you have 1, and this adds 2: grow.example and www.grow.example. Add it without its www counterpart, remove a domain or upgrade the plan.";
    expect([err.code, err.message, err.fieldErrors]).toEqual([
      "LIMIT_EXCEEDED",
      message,
      { domain: message },
    ]);
    expect(await snapshot()).toEqual(before);

    const view = await addDomain({ actor, siteId: site.id, input: { domain: "grow.example" } });
    expect(view.usage).toEqual({ used: 2, limit: 2 });
    const full = await rejection(addDomain({ actor, siteId: site.id, input: { domain: "more.example" } }));
    const fullMessage = "Your plan allows 2 domains; you have 2. Upgrade the plan or remove a domain.";
    expect([full.code, full.message, full.fieldErrors]).toEqual([
      "LIMIT_EXCEEDED",
      fullMessage,
      { domain: fullMessage },
    ]);
  });

  it("lets exactly one of two concurrent claims of a name win; the other gets the neutral message", async () => {
    const mine = await newSite();
    const theirs = await newSite(globex, globexOwner);
    const results = await Promise.allSettled([
      addDomain({ actor: acmeOwner, siteId: mine.id, input: { domain: "race.example" } }),
      addDomain({ actor: globexOwner, siteId: theirs.id, input: { domain: "race.example" } }),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBeInstanceOf(AppError);
    expect((rejected[0]?.reason as AppError | undefined)?.message).toBe(DOMAIN_NOT_AVAILABLE_MESSAGE);
    expect(await db().prisma.domain.count({ where: { hostname: "race.example" } })).toBe(1);
    // The loser's site was not bumped: its transaction rolled back whole.
    const loser = results[0]?.status === "rejected" ? mine : theirs;
    expect(await generationOf(loser.id)).toBe(1);
  });

  it("refuses changes to a site whose deletion was requested", async () => {
    const site = await newSite();
    await deleteSite({ actor: acmeOwner, siteId: site.id });
    const err = await rejection(
      addDomain({ actor: acmeOwner, siteId: site.id, input: { domain: "late.example" } }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(await db().prisma.domain.count({ where: { hostname: "late.example" } })).toBe(0);
  });
});

describe("updateDomain", () => {
  it("makes another domain primary; the old primary becomes an alias", async () => {
    const site = await newSite();
    const added = await addDomain({
      actor: acmeOwner,
      siteId: site.id,
      input: { domain: "new-primary.example", redirectToPrimary: true },
    });
    const next = added.domains.find((d) => d.hostname === "new-primary.example");
    const view = await updateDomain({
      actor: acmeOwner,
      siteId: site.id,
      domainId: next?.id ?? "",
      input: { isPrimary: true },
    });
    expect(view.domains.map((d) => [d.hostname, d.isPrimary, d.redirectToPrimary])).toEqual([
      ["new-primary.example", true, false],
      [site.primaryDomain, false, false],
    ]);
    expect(await db().prisma.domain.count({ where: { siteId: site.id, isPrimary: true } })).toBe(1);
    expect(await generationOf(site.id)).toBe(3);
  });

  it("switches between redirect and alias, and changes nothing when nothing differs", async () => {
    const site = await newSite();
    const added = await addDomain({ actor: acmeOwner, siteId: site.id, input: { domain: "switch.example" } });
    const id = added.domains.find((d) => !d.isPrimary)?.id ?? "";
    const redirected = await updateDomain({
      actor: acmeOwner,
      siteId: site.id,
      domainId: id,
      input: { redirectToPrimary: true },
    });
    expect(redirected.domains.find((d) => d.id === id)?.redirectToPrimary).toBe(true);
    const before = await snapshot();
    await updateDomain({
      actor: acmeOwner,
      siteId: site.id,
      domainId: id,
      input: { redirectToPrimary: true },
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses to redirect the primary domain, and writes nothing", async () => {
    const site = await newSite();
    const primary = await db().prisma.domain.findFirstOrThrow({
      where: { siteId: site.id, isPrimary: true },
    });
    const before = await snapshot();
    const err = await rejection(
      updateDomain({
        actor: acmeOwner,
        siteId: site.id,
        domainId: primary.id,
        input: { redirectToPrimary: true },
      }),
    );
    expect(err.message).toBe(PRIMARY_IS_SERVED_MESSAGE);
    expect(err.fieldErrors).toEqual({ redirectToPrimary: PRIMARY_IS_SERVED_MESSAGE });
    const empty = await rejection(
      updateDomain({ actor: acmeOwner, siteId: site.id, domainId: primary.id, input: {} }),
    );
    expect(empty.code).toBe("INVALID_INPUT");
    expect(await snapshot()).toEqual(before);
  });

  it("answers NOT_FOUND for another site's domain, and writes nothing", async () => {
    const site = await newSite();
    const other = await newSite();
    const foreign = await db().prisma.domain.findFirstOrThrow({ where: { siteId: other.id } });
    const before = await snapshot();
    const err = await rejection(
      updateDomain({ actor: acmeOwner, siteId: site.id, domainId: foreign.id, input: { isPrimary: true } }),
    );
    expect(err.code).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
  });
});

describe("removeDomain", () => {
  it("removes an alias and bumps the generation", async () => {
    const site = await newSite();
    const added = await addDomain({ actor: acmeOwner, siteId: site.id, input: { domain: "gone.example" } });
    const id = added.domains.find((d) => !d.isPrimary)?.id ?? "";
    const view = await removeDomain({ actor: acmeOwner, siteId: site.id, domainId: id });
    expect(view.domains.map((d) => d.hostname)).toEqual([site.primaryDomain]);
    expect(await generationOf(site.id)).toBe(3);
    // The name is free again, for anyone.
    const theirs = await newSite(globex, globexOwner);
    await addDomain({ actor: globexOwner, siteId: theirs.id, input: { domain: "gone.example" } });
  });

  it("refuses to remove the last domain and the primary, and writes nothing", async () => {
    const site = await newSite();
    const primary = await db().prisma.domain.findFirstOrThrow({
      where: { siteId: site.id, isPrimary: true },
    });
    let before = await snapshot();
    const last = await rejection(removeDomain({ actor: acmeOwner, siteId: site.id, domainId: primary.id }));
    expect(last).toMatchObject({ code: "CONFLICT", message: LAST_DOMAIN_MESSAGE });
    expect(await snapshot()).toEqual(before);

    await addDomain({ actor: acmeOwner, siteId: site.id, input: { domain: "second.example" } });
    before = await snapshot();
    const err = await rejection(removeDomain({ actor: acmeOwner, siteId: site.id, domainId: primary.id }));
    expect(err).toMatchObject({ code: "CONFLICT", message: PRIMARY_DOMAIN_MESSAGE });
    expect(await snapshot()).toEqual(before);
  });

  it("keeps exactly one domain when its two domains are removed at once", async () => {
    const site = await newSite();
    const added = await addDomain({ actor: acmeOwner, siteId: site.id, input: { domain: "pair.example" } });
    const alias = added.domains.find((d) => !d.isPrimary)?.id ?? "";
    const primary = added.domains.find((d) => d.isPrimary)?.id ?? "";
    // Make the alias primary while removing the old primary: whatever the order, one domain stays primary.
    const results = await Promise.allSettled([
      updateDomain({ actor: acmeOwner, siteId: site.id, domainId: alias, input: { isPrimary: true } }),
      removeDomain({ actor: acmeOwner, siteId: site.id, domainId: primary }),
    ]);
    expect(results[0]?.status).toBe("fulfilled");
    const left = await db().prisma.domain.findMany({ where: { siteId: site.id } });
    expect(left.filter((d) => d.isPrimary)).toHaveLength(1);
    expect(left.length).toBeGreaterThanOrEqual(1);
  });
});

describe("setForceHttps and listDomains", () => {
  it("records force HTTPS with a generation bump, once", async () => {
    const site = await newSite();
    const view = await setForceHttps({ actor: acmeOwner, siteId: site.id, input: { forceHttps: true } });
    expect(view.forceHttps).toBe(true);
    expect(await generationOf(site.id)).toBe(2);
    await setForceHttps({ actor: acmeOwner, siteId: site.id, input: { forceHttps: true } });
    expect(await generationOf(site.id)).toBe(2);
    const err = await rejection(
      setForceHttps({ actor: acmeOwner, siteId: site.id, input: { forceHttps: "yes" } }),
    );
    expect(err.fieldErrors).toEqual({ forceHttps: "Choose whether to force HTTPS." });
  });

  it("says TLS is not set up without a ClusterIssuer, and shows the stored status with one", async () => {
    const site = await newSite();
    vi.stubEnv("SITEPOD_CLUSTER_ISSUER", "");
    const without = await listDomains({ actor: acmeOwner, siteId: site.id });
    expect(without.tlsAvailable).toBe(false);
    expect(without.domains[0]?.tls).toEqual({
      state: "not_configured",
      code: TLS_NOT_CONFIGURED_CODE,
      message: "TLS is not set up on this platform.",
    });

    vi.stubEnv("SITEPOD_CLUSTER_ISSUER", "letsencrypt");
    expect((await listDomains({ actor: acmeOwner, siteId: site.id })).domains[0]?.tls.state).toBe("unknown");
    const stored = {
      state: "issued",
      notAfter: "2027-02-28T10:01:00Z",
      observedAt: "2026-12-01T12:00:00.000Z",
    };
    await db().prisma.domain.updateMany({ where: { siteId: site.id }, data: { tlsStatus: stored } });
    expect((await listDomains({ actor: acmeOwner, siteId: site.id })).domains[0]?.tls).toEqual(stored);
  });

  it("answers NOT_FOUND to a caller who does not reach the site", async () => {
    const site = await newSite();
    const err = await rejection(listDomains({ actor: globexOwner, siteId: site.id }));
    expect(err.code).toBe("NOT_FOUND");
  });
});
