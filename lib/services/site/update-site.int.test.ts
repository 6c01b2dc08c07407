import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toSiteJson } from "@/lib/api/json";
import { open } from "@/lib/crypto/secret-box";
import type { Account, User } from "@/lib/generated/prisma/client";
import { createSite } from "@/lib/services/site/create-site";
import { STALE_SETTINGS_MESSAGE, updateSite } from "@/lib/services/site/update-site";
import {
  DEFAULT_PHP_SETTINGS,
  DEFAULT_SITE_RESOURCES,
  type UpdateSiteFormValues,
} from "@/lib/validation/site-settings";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { limits, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();

let platform: Account;
let owner: User;
let viewer: User;
let counter = 0;

beforeAll(async () => {
  const p = db().prisma;
  platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
});

let acme: Account;

/** A fresh account on a Starter-like plan (3 sites, 10 GiB, 1000m, 2048 MiB) for each test. */
beforeEach(async () => {
  const p = db().prisma;
  counter += 1;
  const plan = await p.plan.create({
    data: {
      ownerAccountId: platform.id,
      name: `Starter ${counter}`,
      ...limits({ maxSites: 3, storageGiB: 10, cpuMillicores: 1000, memoryMiB: 2048 }),
    },
  });
  acme = await createTestAccount(p, { slug: `acme-${counter}`, parent: platform });
  await p.account.update({ where: { id: acme.id }, data: { planId: plan.id } });
  owner = await createTestUser(p, {
    email: `owner${counter}@acme.test`,
    roles: [{ account: acme, role: "OWNER" }],
  });
  viewer = await createTestUser(p, {
    email: `viewer${counter}@acme.test`,
    roles: [{ account: acme, role: "VIEWER" }],
  });
});

async function newSite(name = "blog", storageGiB?: number) {
  const { site } = await createSite({
    actor: { userId: owner.id },
    accountId: acme.id,
    input: { name, domain: `${name}.acme-${counter}.test`, ...(storageGiB ? { storageGiB } : {}) },
  });
  return site;
}

function form(generation: number, overrides: Partial<UpdateSiteFormValues> = {}): UpdateSiteFormValues {
  return {
    generation,
    phpVersion: "8.4",
    php: { ...DEFAULT_PHP_SETTINGS },
    env: [],
    resources: { ...DEFAULT_SITE_RESOURCES },
    ...overrides,
  };
}

/** What a refused save must leave as it was. */
async function snapshot(siteId: string) {
  const p = db().prisma;
  const site = await p.site.findUniqueOrThrow({ where: { id: siteId } });
  return { site: { ...site, updatedAt: null }, changes: await p.changeLog.count() };
}

describe("updateSite", () => {
  it("saves the settings, bumps the generation and logs what changed without any value", async () => {
    const site = await newSite();
    const p = db().prisma;
    const changesBefore = await p.changeLog.count();
    const updated = await updateSite({
      actor: { userId: owner.id, ip: "203.0.113.9" },
      siteId: site.id,
      input: form(site.generation, {
        php: { ...DEFAULT_PHP_SETTINGS, memoryLimit: "128M", timezone: "Europe/Paris" },
        env: [
          { name: "API_URL", value: "https://api.example.test" },
          { name: "API_KEY", secret: true, value: "hunter2-very-secret" },
        ],
        resources: { ...DEFAULT_SITE_RESOURCES, cpuMillicores: 300, storageGiB: 6 },
      }),
    });
    expect(updated.generation).toBe(site.generation + 1);
    expect(updated.settings.php).toMatchObject({ memoryLimit: "128M", timezone: "Europe/Paris" });
    expect(updated.settings.env).toEqual([
      { name: "API_URL", secret: false, value: "https://api.example.test" },
      { name: "API_KEY", secret: true },
    ]);
    expect(updated.settings.resources).toEqual({
      cpuMillicores: 300,
      memoryMiB: 384,
      storageGiB: 6,
      replicas: 1,
    });
    expect(JSON.stringify(toSiteJson(updated))).not.toContain("hunter2");

    const changes = await p.changeLog.findMany({ where: { objectId: site.id }, orderBy: { id: "asc" } });
    expect(await p.changeLog.count()).toBe(changesBefore + 1);
    const change = changes.at(-1);
    expect(change?.action).toBe("UPDATED");
    expect(change?.actorIp).toBe("203.0.113.9");
    expect(change?.data).toEqual({
      settings: {
        php: {
          memoryLimit: { from: "256M", to: "128M" },
          timezone: { from: "UTC", to: "Europe/Paris" },
        },
        resources: { cpuMillicores: { from: 100, to: 300 }, storageGiB: { from: 5, to: 6 } },
        env: { added: ["API_URL", "API_KEY"], removed: [], changed: [] },
      },
    });
    expect(JSON.stringify(changes.map((c) => c.data))).not.toContain("hunter2");

    // Stored sealed only: the row holds no plain text of the secret, and the seal opens to it.
    const row = await p.site.findUniqueOrThrow({ where: { id: site.id } });
    expect(JSON.stringify(row)).not.toContain("hunter2");
    const stored = (row.envVars as { name: string; secret: boolean; sealed?: string }[]).find(
      (v) => v.name === "API_KEY",
    );
    expect(open(stored?.sealed ?? "")).toBe("hunter2-very-secret");
  });

  it("keeps a secret's value when the form sends none, and says which secret needs one", async () => {
    const site = await newSite();
    const first = await updateSite({
      actor: { userId: owner.id },
      siteId: site.id,
      input: form(site.generation, { env: [{ name: "TOKEN", secret: true, value: "t0ken-value" }] }),
    });
    const sealedBefore = JSON.stringify(
      (await db().prisma.site.findUniqueOrThrow({ where: { id: site.id } })).envVars,
    );
    const second = await updateSite({
      actor: { userId: owner.id },
      siteId: site.id,
      input: form(first.generation, {
        env: [
          { name: "TOKEN", secret: true },
          { name: "MODE", value: "prod" },
        ],
      }),
    });
    const row = await db().prisma.site.findUniqueOrThrow({ where: { id: site.id } });
    const token = (row.envVars as { name: string; sealed?: string }[]).find((v) => v.name === "TOKEN");
    expect(open(token?.sealed ?? "")).toBe("t0ken-value");
    expect(sealedBefore).toContain(token?.sealed);

    // A save without `env` (an API client changing PHP only) keeps the variables.
    const phpOnly = await updateSite({
      actor: { userId: owner.id },
      siteId: site.id,
      input: {
        ...form(second.generation, { php: { ...DEFAULT_PHP_SETTINGS, maxInputVars: 2000 } }),
        env: undefined,
      },
    });
    expect(phpOnly.settings.env.map((v) => v.name)).toEqual(["TOKEN", "MODE"]);

    const before = await snapshot(site.id);
    const missing = await rejection(
      updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(phpOnly.generation, { env: [{ name: "NEW_SECRET", secret: true }] }),
      }),
    );
    expect([missing.code, missing.fieldErrors]).toEqual([
      "INVALID_INPUT",
      { "env.0.value": "Enter the secret's value." },
    ]);
    expect(await snapshot(site.id)).toEqual(before);
  });

  it("refuses a save against a stale generation and writes nothing", async () => {
    const site = await newSite();
    await updateSite({
      actor: { userId: owner.id },
      siteId: site.id,
      input: form(site.generation, { php: { ...DEFAULT_PHP_SETTINGS, maxExecutionTime: 120 } }),
    });
    const before = await snapshot(site.id);
    const stale = await rejection(
      updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(site.generation, { php: { ...DEFAULT_PHP_SETTINGS, maxExecutionTime: 30 } }),
      }),
    );
    expect([stale.code, stale.message]).toEqual(["CONFLICT", STALE_SETTINGS_MESSAGE]);
    expect(await snapshot(site.id)).toEqual(before);
  });

  it("refuses resources beyond the plan, counting the other sites, and writes nothing", async () => {
    const site = await newSite("blog", 4);
    await newSite("shop", 4);
    const before = await snapshot(site.id);
    // 2 GiB are left: 4 -> 7 would need 3.
    const storage = await rejection(
      updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(site.generation, { resources: { ...DEFAULT_SITE_RESOURCES, storageGiB: 7 } }),
      }),
    );
    const storageMessage =
      "Your plan allows 10 GiB of storage and your other sites use 4: this site can have at most 6. Choose 6 or less, or upgrade the plan.";
    expect([storage.code, storage.message, storage.fieldErrors]).toEqual([
      "LIMIT_EXCEEDED",
      storageMessage,
      { "resources.storageGiB": storageMessage },
    ]);
    // The other site takes 448 MiB of the plan's 2048: 1600 MiB for PHP (+64 for nginx) is too much.
    const memory = await rejection(
      updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(site.generation, {
          resources: { ...DEFAULT_SITE_RESOURCES, storageGiB: 4, memoryMiB: 1600 },
        }),
      }),
    );
    const memoryMessage =
      "Your plan allows 2048 MiB of memory and your other sites use 448: this site can have at most 1536 (its web server takes the other 64). Choose 1536 or less, or upgrade the plan.";
    expect([memory.code, memory.message, memory.fieldErrors]).toEqual([
      "LIMIT_EXCEEDED",
      memoryMessage,
      { "resources.memoryMiB": memoryMessage },
    ]);
    expect(await snapshot(site.id)).toEqual(before);
    // What fits is accepted: 1536 + 64 + 448 = 2048.
    const fits = await updateSite({
      actor: { userId: owner.id },
      siteId: site.id,
      input: form(site.generation, {
        resources: { ...DEFAULT_SITE_RESOURCES, storageGiB: 6, memoryMiB: 1536 },
      }),
    });
    expect(fits.settings.footprint).toEqual({ cpuMillicores: 120, memoryMiB: 1600, storageGiB: 6 });
  });

  it("refuses shrinking storage, more replicas than the volume allows, and a PHP version not offered", async () => {
    const site = await newSite("blog", 5);
    const before = await snapshot(site.id);
    const shrink = await rejection(
      updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(site.generation, { resources: { ...DEFAULT_SITE_RESOURCES, storageGiB: 4 } }),
      }),
    );
    expect(shrink.fieldErrors).toEqual({
      "resources.storageGiB":
        "Storage cannot shrink: the site's volume has 5 GiB and volumes only grow. Keep 5 GiB or more.",
    });
    const replicas = await rejection(
      updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(site.generation, { resources: { ...DEFAULT_SITE_RESOURCES, replicas: 2 } }),
      }),
    );
    expect(replicas.fieldErrors?.["resources.replicas"]).toMatch(
      /^WordPress keeps its uploads and plugins on one ReadWriteOnce volume/,
    );
    const php = await rejection(
      updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(site.generation, { phpVersion: "7.4" }),
      }),
    );
    expect(php.code).toBe("INVALID_INPUT");
    expect(php.fieldErrors?.phpVersion).toContain("7.4");
    expect(await snapshot(site.id)).toEqual(before);
  });

  it("keeps the site's current PHP version allowed once the catalog disables it", async () => {
    const site = await newSite();
    const p = db().prisma;
    await p.runtimeImage.update({ where: { phpVersion: "8.4" }, data: { enabled: false } });
    try {
      const updated = await updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(site.generation, { php: { ...DEFAULT_PHP_SETTINGS, displayErrors: true } }),
      });
      expect([updated.phpVersion, updated.settings.php.displayErrors]).toEqual(["8.4", true]);
    } finally {
      await p.runtimeImage.update({ where: { phpVersion: "8.4" }, data: { enabled: true } });
    }
  });

  it("refuses a viewer, and a bad value with its message, writing nothing", async () => {
    const site = await newSite();
    const before = await snapshot(site.id);
    const forbidden = await rejection(
      updateSite({ actor: { userId: viewer.id }, siteId: site.id, input: form(site.generation) }),
    );
    expect([forbidden.code, forbidden.message]).toEqual([
      "FORBIDDEN",
      "Your role (viewer) does not allow you to change site settings.",
    ]);
    const bad = await rejection(
      updateSite({
        actor: { userId: owner.id },
        siteId: site.id,
        input: form(site.generation, { env: [{ name: "DB_HOST", value: "evil" }] }),
      }),
    );
    expect(bad.fieldErrors).toEqual({ "env.0.name": "DB_HOST is set by Sitepod; choose another name." });
    expect(await snapshot(site.id)).toEqual(before);
  });

  it("writes nothing when nothing changed", async () => {
    const site = await newSite();
    const before = await snapshot(site.id);
    const same = await updateSite({
      actor: { userId: owner.id },
      siteId: site.id,
      input: form(site.generation),
    });
    expect(same.generation).toBe(site.generation);
    expect(await snapshot(site.id)).toEqual(before);
  });
});

describe("createSite storage", () => {
  it("gives new sites what the plan has left, and refuses a site when no storage is left, saying so", async () => {
    const first = await newSite("one");
    const second = await newSite("two", 4);
    expect([first.settings.resources.storageGiB, second.settings.resources.storageGiB]).toEqual([5, 4]);
    // 1 GiB left: a site without a size gets it.
    const third = await newSite("three");
    expect(third.settings.resources.storageGiB).toBe(1);
    await db().prisma.site.update({ where: { id: third.id }, data: { deletionRequestedAt: new Date() } });
    const p = db().prisma;
    const sites = await p.site.count();
    const tooBig = await rejection(
      createSite({
        actor: { userId: owner.id },
        accountId: acme.id,
        input: { name: "big", domain: `big.acme-${counter}.test`, storageGiB: 5 },
      }),
    );
    expect([tooBig.code, tooBig.message, tooBig.fieldErrors]).toEqual([
      "LIMIT_EXCEEDED",
      "Your plan has 1 GiB of storage left; this site needs 5 GiB. Choose 1 GiB or less, upgrade the plan or delete a site to free its storage.",
      {
        storageGiB:
          "Your plan has 1 GiB of storage left; this site needs 5 GiB. Choose 1 GiB or less, upgrade the plan or delete a site to free its storage.",
      },
    ]);
    expect(await p.site.count()).toBe(sites);
  });

  it("refuses a third default site on the Starter plan (10 GiB, two 5 GiB sites)", async () => {
    await newSite("one");
    await newSite("two");
    const p = db().prisma;
    const sites = await p.site.count();
    const refused = await rejection(
      createSite({
        actor: { userId: owner.id },
        accountId: acme.id,
        input: { name: "three", domain: `three.acme-${counter}.test` },
      }),
    );
    expect([refused.code, refused.message]).toEqual([
      "LIMIT_EXCEEDED",
      "Your plan has no storage left; this site needs 5 GiB. Upgrade the plan or delete a site to free its storage.",
    ]);
    expect(await p.site.count()).toBe(sites);
  });
});
