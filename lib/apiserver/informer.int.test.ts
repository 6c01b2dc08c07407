/**
 * A real client library's informer (@kubernetes/client-node: list, then watch from the list's
 * resourceVersion, relist on 410) against the API server: it follows creations, changes and
 * deletions, survives the server's restart (its resourceVersion is then older than the new
 * server's window: 410, relist), and ends up with exactly the sites the database has.
 */
import {
  CustomObjectsApi,
  KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "@/lib/generated/prisma/client";
import { appendChange } from "@/lib/services/change-log/append-change";
import {
  apiRequest,
  createTestToken,
  startTestApiServer,
  type TestApiServer,
} from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { eventually } from "@/tests/helpers/eventually";

const db = withTestDatabase();
const G = "/apis/hosting.sitepod.io/v1alpha1";
let server: TestApiServer;
let acme: Account;
/** A real API token of acme's owner. */
let ownerToken: string;

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  const owner = await createTestUser(p, {
    email: "owner@acme.test",
    roles: [{ account: acme, role: "OWNER" }],
  });
  ownerToken = await createTestToken({ userId: owner.id, accountId: acme.id });
  server = await startTestApiServer({});
});

afterAll(async () => {
  await server?.close();
});

async function createSite(name: string) {
  const res = await apiRequest(server, {
    method: "POST",
    path: `${G}/namespaces/acme/sites`,
    token: ownerToken,
    body: JSON.stringify({
      apiVersion: "hosting.sitepod.io/v1alpha1",
      kind: "Site",
      metadata: { name },
      spec: { app: "PHP", primaryDomain: `${name}.acme.test` },
    }),
  });
  expect(res.status).toBe(201);
}

async function databaseSites(): Promise<string[]> {
  return (await db().prisma.site.findMany({ where: { accountId: acme.id }, orderBy: { name: "asc" } })).map(
    (s) => s.name,
  );
}

describe("a client-node informer", () => {
  it("lists, watches, survives a restart and a 410, and matches the database", async () => {
    await createSite("first");
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig(ownerToken, "acme"));
    const api = kc.makeApiClient(CustomObjectsApi);
    const informer = makeInformer<KubernetesObject>(
      kc,
      `${G}/namespaces/acme/sites`,
      async () =>
        (await api.listNamespacedCustomObject({
          group: "hosting.sitepod.io",
          version: "v1alpha1",
          namespace: "acme",
          plural: "sites",
        })) as KubernetesListObject<KubernetesObject>,
    );
    const errors: unknown[] = [];
    informer.on("error", (err) => {
      errors.push(err);
      // client-node stops on errors: the informer's owner restarts it, as controllers do.
      setTimeout(() => void informer.start(), 200);
    });
    await informer.start();
    const names = () =>
      informer
        .list()
        .map((o) => o.metadata?.name ?? "")
        .sort();
    try {
      await eventually("the first list", () => (names().join() === "first" ? true : undefined), 15_000);
      await createSite("second");
      await eventually(
        "the watched creation",
        () => (names().join() === "first,second" ? true : undefined),
        15_000,
      );

      // Restart the server on the same port: the new one's event window starts now.
      const { dir, port } = server;
      await server.close();
      // Deleted while the server is down: no watch ever carries it, only a relist (after the 410) can.
      const p = db().prisma;
      const doomed = await p.site.findFirstOrThrow({ where: { accountId: acme.id, name: "first" } });
      await p.$transaction(async (tx) => {
        await tx.domain.deleteMany({ where: { siteId: doomed.id } });
        await tx.site.delete({ where: { id: doomed.id } });
        await appendChange(tx, { kind: "Site", objectId: doomed.id, accountId: acme.id, action: "DELETED" });
      });
      server = await startTestApiServer({ restart: { dir, port } });
      await createSite("third");
      await eventually(
        "the informer to match the database",
        async () => (JSON.stringify(names()) === JSON.stringify(await databaseSites()) ? true : undefined),
        30_000,
      );
      expect(names()).toEqual(["second", "third"]);
    } finally {
      await informer.stop();
    }
  });
});
