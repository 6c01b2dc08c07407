import { beforeAll, describe, expect, it } from "vitest";
import type { Account } from "@/lib/generated/prisma/client";
import { createTestAccount, withTestDatabase } from "@/tests/helpers/db";
import { type RecordedEvent, writeEventBatch } from "./event-recorder";
import { createSiteRow } from "./test-support";

const db = withTestDatabase();

let acme: Account;
let blog: string;
let shop: string;

const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, second));

function event(uid: string, siteId: string, overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    uid,
    siteId,
    accountId: acme.id,
    type: "Normal",
    reason: "Scheduled",
    object: "Pod/web-1",
    message: "Successfully assigned the pod",
    count: 1,
    firstSeenAt: at(0),
    lastSeenAt: at(0),
    ...overrides,
  };
}

const statusRows = () =>
  db().prisma.changeLog.findMany({
    where: { kind: "Site", action: "STATUS" },
    select: { objectId: true, data: true },
    orderBy: { id: "asc" },
  });

beforeAll(async () => {
  const p = db().prisma;
  acme = await createTestAccount(p, { slug: "acme" });
  blog = (await createSiteRow(p, { accountId: acme.id, name: "blog", domain: "blog.acme.test" })).id;
  shop = (await createSiteRow(p, { accountId: acme.id, name: "shop", domain: "shop.acme.test" })).id;
});

describe("writing a batch of Kubernetes events into timelines", () => {
  it("inserts new events, updates the ones seen before, and announces each site's warnings once", async () => {
    const p = db().prisma;
    const before = (await statusRows()).length;
    await writeEventBatch(p, [
      event("e-1", blog),
      event("e-2", blog, { type: "Warning", reason: "Unhealthy", message: "Readiness probe failed" }),
    ]);
    await writeEventBatch(p, [
      // The warning seen twice more, a new warning and a normal event of another site.
      event("e-2", blog, {
        type: "Warning",
        reason: "Unhealthy",
        message: "Readiness probe failed: 503",
        count: 3,
        lastSeenAt: at(20),
      }),
      event("e-3", blog, { type: "Warning", reason: "BackOff", message: "Back-off restarting" }),
      event("e-4", shop),
    ]);

    const rows = await p.siteEvent.findMany({
      orderBy: { eventUid: "asc" },
      select: {
        eventUid: true,
        siteId: true,
        source: true,
        reason: true,
        message: true,
        count: true,
        lastSeenAt: true,
      },
    });
    expect(rows).toEqual([
      {
        eventUid: "e-1",
        siteId: blog,
        source: "KUBERNETES",
        reason: "Scheduled",
        message: "Successfully assigned the pod",
        count: 1,
        lastSeenAt: at(0),
      },
      {
        eventUid: "e-2",
        siteId: blog,
        source: "KUBERNETES",
        reason: "Unhealthy",
        message: "Readiness probe failed: 503",
        count: 3,
        lastSeenAt: at(20),
      },
      {
        eventUid: "e-3",
        siteId: blog,
        source: "KUBERNETES",
        reason: "BackOff",
        message: "Back-off restarting",
        count: 1,
        lastSeenAt: at(0),
      },
      {
        eventUid: "e-4",
        siteId: shop,
        source: "KUBERNETES",
        reason: "Scheduled",
        message: "Successfully assigned the pod",
        count: 1,
        lastSeenAt: at(0),
      },
    ]);
    // One row per batch for the site with warnings; none for a site with normal events only.
    expect((await statusRows()).slice(before)).toEqual([
      { objectId: blog, data: { siteId: blog, events: 2 } },
      { objectId: blog, data: { siteId: blog, events: 2 } },
    ]);
  });

  it("skips the events of a site deleted meanwhile and writes the rest", async () => {
    const p = db().prisma;
    const gone = (await createSiteRow(p, { accountId: acme.id, name: "gone", domain: "gone.acme.test" })).id;
    await p.domain.deleteMany({ where: { siteId: gone } });
    await p.site.delete({ where: { id: gone } });
    await writeEventBatch(p, [event("e-5", gone), event("e-6", shop)]);
    expect(await p.siteEvent.count({ where: { eventUid: { in: ["e-5", "e-6"] } } })).toBe(1);
    expect(await p.siteEvent.count({ where: { siteId: gone } })).toBe(0);
  });
});
