import { beforeAll, describe, expect, it } from "vitest";
import type { Account, Plan, User } from "@/lib/generated/prisma/client";
import { wpCronSchedule } from "@/lib/k8s/manifests/wp-cron";
import { createCronJob } from "@/lib/services/cron-job/create-cron-job";
import { deleteCronJob } from "@/lib/services/cron-job/delete-cron-job";
import { getCronJob } from "@/lib/services/cron-job/get-cron-job";
import { listCronJobs } from "@/lib/services/cron-job/list-cron-jobs";
import { updateCronJob } from "@/lib/services/cron-job/update-cron-job";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { createSite } from "@/lib/services/site/create-site";
import { deleteSite } from "@/lib/services/site/delete-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { limits, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();

let acme: Account;
let globex: Account;
let plan: Plan;
let owner: User; // OWNER on acme
let developer: User; // DEVELOPER on acme
let viewer: User; // VIEWER on acme
let stranger: User; // OWNER on globex only
let blogId: string; // a WordPress site of acme
let shopId: string; // a PHP site of acme
let globexSiteId: string;

const job = (overrides: Record<string, unknown> = {}) => ({
  name: "nightly-import",
  schedule: "0 3 * * *",
  command: "php artisan import",
  ...overrides,
});

async function written() {
  const p = db().prisma;
  return { cronJobs: await p.cronJob.count(), changes: await p.changeLog.count() };
}

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  globex = await createTestAccount(p, { slug: "globex", parent: platform });
  plan = await p.plan.create({
    data: { ownerAccountId: platform.id, name: "Starter", ...limits({ maxCronJobs: 2 }) },
  });
  await p.account.update({ where: { id: acme.id }, data: { planId: plan.id } });
  owner = await createTestUser(p, { email: "owner@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  developer = await createTestUser(p, {
    email: "dev@acme.test",
    roles: [{ account: acme, role: "DEVELOPER" }],
  });
  viewer = await createTestUser(p, { email: "viewer@acme.test", roles: [{ account: acme, role: "VIEWER" }] });
  stranger = await createTestUser(p, {
    email: "owner@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
  const actor = { userId: owner.id };
  blogId = (
    await createSite({ actor, accountId: acme.id, input: { name: "blog", domain: "blog.acme.test" } })
  ).site.id;
  shopId = (
    await createSite({
      actor,
      accountId: acme.id,
      input: { name: "shop", domain: "shop.acme.test", app: "PHP" },
    })
  ).site.id;
  globexSiteId = (
    await createSite({
      actor: { userId: stranger.id },
      accountId: globex.id,
      input: { name: "www", domain: "www.globex.test", app: "PHP" },
    })
  ).site.id;
});

describe("cron job services", () => {
  it("creates a cron job with defaults, a pending condition and a CREATED change without the command", async () => {
    const before = await written();
    const created = await createCronJob({
      actor: { userId: developer.id, ip: "203.0.113.9" },
      siteId: blogId,
      input: job({ command: "curl -fsS https://example.test/hook?token=abc" }),
    });
    expect(created).toMatchObject({
      accountId: acme.id,
      siteId: blogId,
      name: "nightly-import",
      schedule: "0 3 * * *",
      scheduleText: "At 03:00",
      command: "curl -fsS https://example.test/hook?token=abc",
      enabled: true,
      state: "ACTIVE",
      concurrencyPolicy: "FORBID",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      generation: 1,
      observedGeneration: 0,
      runs: [],
      lastOutput: null,
    });
    expect(created.conditions).toEqual([
      expect.objectContaining({ type: "Ready", status: "False", reason: "Pending" }),
    ]);
    expect(await written()).toEqual({ cronJobs: before.cronJobs + 1, changes: before.changes + 1 });
    const change = await db().prisma.changeLog.findFirstOrThrow({ where: { objectId: created.id } });
    expect(change).toMatchObject({
      kind: "CronJob",
      action: "CREATED",
      accountId: acme.id,
      actorUserId: developer.id,
      actorIp: "203.0.113.9",
      data: { siteId: blogId, name: "nightly-import", schedule: "0 3 * * *", enabled: true },
    });
    expect(JSON.stringify(change.data)).not.toContain("token");
  });

  it("refuses a bad schedule with the field's message, and writes nothing", async () => {
    const before = await written();
    const err = await rejection(
      createCronJob({
        actor: { userId: owner.id },
        siteId: blogId,
        input: job({ name: "x", schedule: "61 * * * *" }),
      }),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors).toEqual({
      schedule: '"61 * * * *" is not a cron schedule: the minute field "61": 61 is outside 0–59.',
    });
    const multiline = await rejection(
      createCronJob({
        actor: { userId: owner.id },
        siteId: blogId,
        input: job({ name: "y", command: "a\nb" }),
      }),
    );
    expect(multiline.fieldErrors?.command).toMatch(/^Write the command on one line/);
    expect(await written()).toEqual(before);
  });

  it("refuses a name the site already uses, next to the field, and writes nothing", async () => {
    const before = await written();
    const err = await rejection(createCronJob({ actor: { userId: owner.id }, siteId: blogId, input: job() }));
    expect(err.code).toBe("CONFLICT");
    expect(err.fieldErrors?.name).toBe(
      'This site already has a cron job named "nightly-import" (or one being deleted). Choose another name.',
    );
    expect(await written()).toEqual(before);
  });

  it("counts cron jobs against the plan across the account's sites, and refuses one over it, writing nothing", async () => {
    await createCronJob({ actor: { userId: owner.id }, siteId: shopId, input: job({ name: "cleanup" }) });
    const before = await written();
    const err = await rejection(
      createCronJob({ actor: { userId: owner.id }, siteId: blogId, input: job({ name: "third" }) }),
    );
    expect(err.code).toBe("LIMIT_EXCEEDED");
    expect(err.message).toBe(
      "Your plan allows 2 cron jobs; you have 2. Upgrade the plan or delete a cron job.",
    );
    expect(await written()).toEqual(before);
    const quota = await getAccountQuota({ actor: { userId: owner.id }, accountId: acme.id });
    expect(quota.usage.maxCronJobs).toBe(2);
  });

  it("lists the site's jobs with the plan usage; WordPress's wp-cron is built in and not counted", async () => {
    const blog = await listCronJobs({ actor: { userId: viewer.id }, siteId: blogId });
    expect(blog.cronJobs.map((j) => j.name)).toEqual(["nightly-import"]);
    expect(blog.usage).toEqual({ used: 2, limit: 2, planName: "Starter" });
    expect(blog.canManage).toBe(false);
    expect((await listCronJobs({ actor: { userId: developer.id }, siteId: blogId })).canManage).toBe(true);
    expect(blog.builtIn).toEqual([
      expect.objectContaining({
        key: "wp-cron",
        // The site's own minute of the five, so that thousands of sites do not run at once.
        schedule: wpCronSchedule(blogId),
        scheduleText: expect.stringMatching(
          /^Every 5 minutes, at [0-4], [5-9], 1[0-4] … minutes past the hour$/,
        ),
        // Not installed yet in this database (no reconciler ran).
        running: false,
      }),
    ]);
    const shop = await listCronJobs({ actor: { userId: viewer.id }, siteId: shopId });
    expect(shop.cronJobs.map((j) => j.name)).toEqual(["cleanup"]);
    expect(shop.builtIn).toEqual([]);
  });

  it("pauses and edits a job, bumping its generation once per real change; a no-op writes nothing", async () => {
    const [target] = (await listCronJobs({ actor: { userId: owner.id }, siteId: blogId })).cronJobs;
    if (!target) throw new Error("no job");
    const paused = await updateCronJob({
      actor: { userId: developer.id },
      cronJobId: target.id,
      input: { enabled: false },
    });
    expect(paused).toMatchObject({ enabled: false, state: "PAUSED", generation: 2 });
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { objectId: target.id },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({ action: "UPDATED", summary: "Paused cron job nightly-import" });

    const before = await written();
    const same = await updateCronJob({
      actor: { userId: owner.id },
      cronJobId: target.id,
      input: { enabled: false },
    });
    expect(same.generation).toBe(2);
    expect(await written()).toEqual(before);

    const edited = await updateCronJob({
      actor: { userId: owner.id },
      cronJobId: target.id,
      input: { schedule: "*/15  * * * *", concurrencyPolicy: "REPLACE" },
    });
    expect(edited).toMatchObject({
      schedule: "*/15 * * * *",
      scheduleText: "Every 15 minutes",
      concurrencyPolicy: "REPLACE",
      generation: 3,
    });
    const bad = await rejection(
      updateCronJob({ actor: { userId: owner.id }, cronJobId: target.id, input: { schedule: "* * * *" } }),
    );
    expect(bad.fieldErrors?.schedule).toBe(
      '"* * * *" is not a cron schedule: it needs five fields (minute hour day-of-month month day-of-week) and has 4.',
    );
    expect((await getCronJob({ actor: { userId: viewer.id }, cronJobId: target.id })).schedule).toBe(
      "*/15 * * * *",
    );
  });

  it("refuses viewers changes (FORBIDDEN) and other tenants everything (NOT_FOUND), writing nothing", async () => {
    const [target] = (await listCronJobs({ actor: { userId: owner.id }, siteId: blogId })).cronJobs;
    if (!target) throw new Error("no job");
    const before = await written();
    const viewerActor = { userId: viewer.id };
    expect(
      (await rejection(createCronJob({ actor: viewerActor, siteId: blogId, input: job({ name: "v" }) })))
        .code,
    ).toBe("FORBIDDEN");
    expect(
      (await rejection(updateCronJob({ actor: viewerActor, cronJobId: target.id, input: { enabled: true } })))
        .code,
    ).toBe("FORBIDDEN");
    expect((await rejection(deleteCronJob({ actor: viewerActor, cronJobId: target.id }))).code).toBe(
      "FORBIDDEN",
    );

    const foreign = { userId: stranger.id };
    for (const attempt of [
      () => createCronJob({ actor: foreign, siteId: blogId, input: job({ name: "evil" }) }),
      () => listCronJobs({ actor: foreign, siteId: blogId }),
      () => getCronJob({ actor: foreign, cronJobId: target.id }),
      () => updateCronJob({ actor: foreign, cronJobId: target.id, input: { command: "rm -rf ." } }),
      () => deleteCronJob({ actor: foreign, cronJobId: target.id }),
    ]) {
      const err = await rejection(attempt());
      expect(err.code).toBe("NOT_FOUND");
    }
    // A real id and a made-up one answer alike.
    expect((await rejection(getCronJob({ actor: foreign, cronJobId: "doesnotexist" }))).message).toBe(
      (await rejection(getCronJob({ actor: foreign, cronJobId: target.id }))).message,
    );
    // And acme's owner cannot reach globex's site either.
    expect(
      (await rejection(createCronJob({ actor: { userId: owner.id }, siteId: globexSiteId, input: job() })))
        .code,
    ).toBe("NOT_FOUND");
    expect(await written()).toEqual(before);
    expect((await db().prisma.cronJob.findUniqueOrThrow({ where: { id: target.id } })).command).toBe(
      "curl -fsS https://example.test/hook?token=abc",
    );
  });

  it("deletes asynchronously: marks the job DELETING, frees its plan slot at once, refuses edits", async () => {
    const [target] = (await listCronJobs({ actor: { userId: owner.id }, siteId: blogId })).cronJobs;
    if (!target) throw new Error("no job");
    const deleting = await deleteCronJob({ actor: { userId: developer.id }, cronJobId: target.id });
    expect(deleting).toMatchObject({ state: "DELETING", deletionRequestedAt: expect.any(String) });
    const before = await written();
    const again = await deleteCronJob({ actor: { userId: developer.id }, cronJobId: target.id });
    expect(again.state).toBe("DELETING");
    expect(await written()).toEqual(before);
    const edit = await rejection(
      updateCronJob({ actor: { userId: owner.id }, cronJobId: target.id, input: { enabled: true } }),
    );
    expect(edit).toMatchObject({
      code: "CONFLICT",
      message: "This cron job is being deleted; it cannot be changed.",
    });
    // The slot is free again: a new job fits the plan of two.
    const replacement = await createCronJob({
      actor: { userId: owner.id },
      siteId: blogId,
      input: job({ name: "hourly" }),
    });
    expect(replacement.state).toBe("ACTIVE");
  });

  it("with maxCronJobs 0, WordPress sites keep wp-cron and no job of the user's fits", async () => {
    await db().prisma.plan.update({ where: { id: plan.id }, data: { maxCronJobs: 0 } });
    const list = await listCronJobs({ actor: { userId: owner.id }, siteId: blogId });
    expect(list.builtIn.map((b) => b.name)).toEqual(["wp-cron"]);
    expect(list.usage.limit).toBe(0);
    const before = await written();
    const err = await rejection(
      createCronJob({ actor: { userId: owner.id }, siteId: blogId, input: job({ name: "z" }) }),
    );
    expect(err.code).toBe("LIMIT_EXCEEDED");
    expect(await written()).toEqual(before);
    await db().prisma.plan.update({ where: { id: plan.id }, data: { maxCronJobs: 2 } });
  });

  it("stops counting a deleted site's jobs, and refuses jobs for a site being deleted", async () => {
    await deleteSite({ actor: { userId: owner.id }, siteId: shopId });
    const quota = await getAccountQuota({ actor: { userId: owner.id }, accountId: acme.id });
    expect(quota.usage.maxCronJobs).toBe(1);
    const before = await written();
    const err = await rejection(
      createCronJob({ actor: { userId: owner.id }, siteId: shopId, input: job({ name: "late" }) }),
    );
    expect(err).toMatchObject({
      code: "CONFLICT",
      message: "This site is being deleted; its cron jobs cannot be changed.",
    });
    expect(await written()).toEqual(before);
  });
});
