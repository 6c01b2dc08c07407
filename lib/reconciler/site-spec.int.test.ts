import { beforeAll, describe, expect, it } from "vitest";
import type { Account } from "@/lib/generated/prisma/client";
import { createTestAccount, withTestDatabase } from "@/tests/helpers/db";
import { loadSiteForReconcile, siteForReconcileInclude } from "./site-spec";
import { createSiteRow } from "./test-support";

const db = withTestDatabase();

let acme: Account;

const byInclude = (id: string) =>
  db().prisma.site.findUnique({ where: { id }, include: siteForReconcileInclude });

beforeAll(async () => {
  acme = await createTestAccount(db().prisma, { slug: "acme" });
});

describe("reading a site for a reconcile pass", () => {
  it("reads what the include reads, for a site with no database attached", async () => {
    const { id } = await createSiteRow(db().prisma, {
      accountId: acme.id,
      name: "blog",
      domain: "blog.acme.test",
      aliases: ["www.blog.acme.test"],
    });
    const site = await loadSiteForReconcile(db().prisma, id);
    expect(site?.databaseAttachments).toEqual([]);
    expect(site?.domains).toHaveLength(2);
    expect(site).toEqual(await byInclude(id));
  });

  it("reads what the include reads, attachments with their databases, users and servers included", async () => {
    const p = db().prisma;
    const { id } = await createSiteRow(p, { accountId: acme.id, name: "shop", domain: "shop.acme.test" });
    const server = await p.databaseServer.create({
      data: {
        name: "mariadb-1",
        engine: "MYSQL",
        host: "db.internal",
        port: 3306,
        adminUser: "root",
        podHost: "db.sitepod.svc",
        podPort: 3307,
      },
    });
    for (const [name, envPrefix] of [
      ["shop_b", "ANALYTICS_"],
      ["shop_a", ""],
    ] as const) {
      const database = await p.database.create({
        data: { accountId: acme.id, serverId: server.id, name, conditions: [] },
      });
      const user = await p.databaseUser.create({
        data: {
          accountId: acme.id,
          serverId: server.id,
          name: `${name}_u`,
          passwordCiphertext: "sealed",
          conditions: [],
        },
      });
      await p.siteDatabaseAttachment.create({
        data: { siteId: id, databaseId: database.id, userId: user.id, envPrefix },
      });
    }
    const site = await loadSiteForReconcile(p, id);
    expect(
      site?.databaseAttachments.map((a) => [a.envPrefix, a.database.name, a.database.server.podPort]),
    ).toEqual([
      ["", "shop_a", 3307],
      ["ANALYTICS_", "shop_b", 3307],
    ]);
    expect(site).toEqual(await byInclude(id));
  });

  it("reads nothing for a site that does not exist", async () => {
    expect(await loadSiteForReconcile(db().prisma, "nosuchsite")).toBeNull();
  });
});
