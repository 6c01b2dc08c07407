import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db";
import { inDryRun, runUnitOfWork } from "@/lib/db/unit-of-work";
import type { Account, User } from "@/lib/generated/prisma/client";
import { createSite } from "@/lib/services/site/create-site";
import { updateSite } from "@/lib/services/site/update-site";
import { DEFAULT_PHP_SETTINGS, DEFAULT_SITE_RESOURCES } from "@/lib/validation/site-settings";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

let acme: Account;
let owner: User;

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  owner = await createTestUser(p, { email: "o@acme.test", roles: [{ account: acme, role: "OWNER" }] });
});

/** createSite, then updateSite on the site it made: two services, each with its own $transaction. */
async function createThenResize(name: string, memoryMiB: number) {
  const actor = { userId: owner.id };
  const { site } = await createSite({ actor, accountId: acme.id, input: { name, domain: `${name}.test` } });
  return updateSite({
    actor,
    siteId: site.id,
    input: {
      generation: site.generation,
      phpVersion: site.phpVersion,
      php: { ...DEFAULT_PHP_SETTINGS },
      resources: { ...DEFAULT_SITE_RESOURCES, memoryMiB },
    },
  });
}

async function counts() {
  const p = db().prisma;
  const [sites, changes, maxId] = await Promise.all([
    p.site.count(),
    p.changeLog.count(),
    p.changeLog.aggregate({ _max: { id: true } }),
  ]);
  return { sites, changes, maxId: maxId._max.id };
}

describe("runUnitOfWork", () => {
  it("commits several services' writes together, each seeing the ones before it", async () => {
    const { result, changes } = await runUnitOfWork(getPrisma(), { dryRun: false }, () =>
      createThenResize("joined", 512),
    );
    expect(result.settings.resources.memoryMiB).toBe(512);
    expect(result.generation).toBe(2);
    expect(changes.map((c) => [c.kind, c.objectId, c.action])).toEqual([
      ["Site", result.id, "CREATED"],
      ["Site", result.id, "UPDATED"],
    ]);
    const stored = await db().prisma.site.findUniqueOrThrow({ where: { id: result.id } });
    expect(stored.memoryMiB).toBe(512);
    const logged = await db().prisma.changeLog.findMany({ where: { objectId: result.id } });
    expect(logged.map((row) => row.id)).toEqual(changes.map((c) => c.id));
  });

  it("rolls every write back when a later service refuses", async () => {
    const before = await counts();
    // 64 MiB is below the memory bound: updateSite refuses after createSite wrote.
    await expect(
      runUnitOfWork(getPrisma(), { dryRun: false }, () => createThenResize("refused", 64)),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await counts()).toEqual(before);
  });

  it("in a dry run, answers as the services would and writes nothing, not even a change-log id", async () => {
    const { changes: previous } = await runUnitOfWork(getPrisma(), { dryRun: false }, () =>
      createThenResize("before-dry", 512),
    );
    const before = await counts();
    const { result, changes } = await runUnitOfWork(getPrisma(), { dryRun: true }, async () => {
      expect(inDryRun()).toBe(true);
      return createThenResize("dry", 768);
    });
    expect(result.settings.resources.memoryMiB).toBe(768);
    expect(changes.map((c) => [c.action, c.id])).toEqual([
      ["CREATED", 0n],
      ["UPDATED", 0n],
    ]);
    expect(await counts()).toEqual(before);
    expect(inDryRun()).toBe(false);

    // The next real change takes the id right after the last one: the dry run consumed none.
    const { changes: real } = await runUnitOfWork(getPrisma(), { dryRun: false }, () =>
      createThenResize("after-dry", 512),
    );
    expect(real[0]?.id).toBe((previous.at(-1)?.id ?? -1n) + 1n);
  });

  it("refuses to nest", async () => {
    await expect(
      runUnitOfWork(getPrisma(), { dryRun: true }, () =>
        runUnitOfWork(getPrisma(), { dryRun: true }, async () => 1),
      ),
    ).rejects.toThrow(/do not nest/);
  });
});
