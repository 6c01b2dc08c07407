import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { Account, User } from "@/lib/generated/prisma/client";
import { appendChange } from "@/lib/services/change-log/append-change";
import { createSite } from "@/lib/services/site/create-site";
import { getSiteTimeline } from "@/lib/services/site/site-timeline";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

let acme: Account;
let owner: User;
let viewer: User;
let siteId: string;

const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second));

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  owner = await createTestUser(p, {
    email: "owner@acme.test",
    name: "Olivia Owner",
    roles: [{ account: acme, role: "OWNER" }],
  });
  viewer = await createTestUser(p, { email: "viewer@acme.test", roles: [{ account: acme, role: "VIEWER" }] });
  const { site } = await createSite({
    actor: { userId: owner.id, ip: "203.0.113.7" },
    accountId: acme.id,
    input: { name: "blog", domain: "blog.acme.test", app: "PHP" },
  });
  siteId = site.id;
  // The creation's change at second 0; then a status report (not shown), a hand edit the
  // reconciler put back, a Kubernetes warning seen three times, and a change in the panel.
  await p.changeLog.updateMany({ where: { objectId: siteId }, data: { createdAt: at(0) } });
  await p.$transaction(async (tx) => {
    await appendChange(tx, {
      kind: "Site",
      objectId: siteId,
      accountId: acme.id,
      action: "STATUS",
      data: { phase: "RUNNING" },
    });
  });
  await p.siteEvent.create({
    data: {
      siteId,
      accountId: acme.id,
      source: "SITEPOD",
      type: "Warning",
      reason: "DriftCorrected",
      object: "Deployment/blog",
      message: "Changed outside Sitepod; put back as Sitepod renders it. spec.replicas: 1 wanted, 3 found",
      firstSeenAt: at(10),
      lastSeenAt: at(10),
    },
  });
  await p.siteEvent.create({
    data: {
      siteId,
      accountId: acme.id,
      source: "KUBERNETES",
      type: "Warning",
      reason: "BackOff",
      object: "Pod/blog-7c9f-abcde",
      message: "Back-off restarting failed container php",
      count: 3,
      eventUid: "uid-1",
      firstSeenAt: at(15),
      lastSeenAt: at(20),
    },
  });
  await p.$transaction(async (tx) => {
    await appendChange(tx, {
      kind: "Site",
      objectId: siteId,
      accountId: acme.id,
      action: "UPDATED",
      actorUserId: owner.id,
      actorIp: "203.0.113.7",
      data: { name: "blog" },
      summary: "Changed PHP to 8.2",
    });
  });
  await p.changeLog.updateMany({
    where: { objectId: siteId, action: "UPDATED" },
    data: { createdAt: at(30) },
  });
});

describe("a site's timeline", () => {
  it("merges Sitepod's changes, corrected drift and Kubernetes events, newest first, without status reports", async () => {
    const { entries, next } = await getSiteTimeline({ actor: { userId: viewer.id }, siteId });
    expect(next).toBeNull();
    expect(entries.map((e) => [e.source, e.reason, e.object, e.count])).toEqual([
      ["change", "Updated", null, 1],
      ["kubernetes", "BackOff", "Pod/blog-7c9f-abcde", 3],
      ["sitepod", "DriftCorrected", "Deployment/blog", 1],
      ["change", "Created", null, 1],
    ]);
    expect(entries[0]).toMatchObject({
      message: "Changed PHP to 8.2",
      actorName: owner.name,
      type: "Normal",
    });
    expect(entries[3]?.message).toBe("Created site blog");
    // A name, never the actor's email or address.
    expect(JSON.stringify(entries)).not.toContain("owner@acme.test");
    expect(JSON.stringify(entries)).not.toContain("203.0.113.7");
  });

  it("pages with a cursor, never repeating or skipping an entry", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await getSiteTimeline({
        actor: { userId: owner.id },
        siteId,
        input: { limit: "1", ...(before ? { before } : {}) },
      });
      seen.push(...result.entries.map((e) => e.reason));
      if (!result.next) break;
      before = result.next;
    }
    expect(seen).toEqual(["Updated", "BackOff", "DriftCorrected", "Created"]);
  });

  it("refuses a bad cursor or limit with the reason", async () => {
    const err = await getSiteTimeline({
      actor: { userId: owner.id },
      siteId,
      input: { before: "x'; DROP", limit: "0" },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("INVALID_INPUT");
    expect((err as AppError).fieldErrors).toEqual({
      before: "Invalid cursor: pass the `next` value of the previous page.",
      limit: "limit must be at least 1.",
    });
  });
});
