/**
 * The API server registered into a cluster, without the cluster: a real TLS server that asks for
 * client certificates, a front-proxy CA and client certificate made as the local cluster makes them
 * (cluster/front-proxy.ts), a second CA with a certificate of the same name (a forger's), and a
 * stand-in for the cluster's SubjectAccessReviews. The X-Remote-* headers are believed only with the
 * front proxy's certificate; what the review allows is what the Kubernetes user reaches; its changes
 * are attributed to it; and API tokens keep working beside it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFrontProxyPki } from "@/cluster/front-proxy";
import { DEFAULT_REQUEST_HEADERS } from "@/lib/apiserver/front-proxy";
import { type SubjectAccessReviewBody, SubjectAccessReviewer } from "@/lib/apiserver/subject-access-review";
import type { Account } from "@/lib/generated/prisma/client";
import {
  apiRequest,
  createTestToken,
  startTestApiServer,
  type TestApiServer,
} from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();
const G = "/apis/hosting.sitepod.io/v1alpha1";
let server: TestApiServer;
let acme: Account;
let ownerToken = "";
const dir = mkdtempSync(path.join(tmpdir(), "sitepod-front-proxy-"));
const proxy = ensureFrontProxyPki(path.join(dir, "proxy"));
const forger = ensureFrontProxyPki(path.join(dir, "forger"));
const proxyCert = { cert: readFileSync(proxy.clientCert), key: readFileSync(proxy.clientKey) };
const forgedCert = { cert: readFileSync(forger.clientCert), key: readFileSync(forger.clientKey) };
/** Every review asked; alice may do anything in acme and list sites at cluster scope; bob nothing. */
const reviews: SubjectAccessReviewBody[] = [];
/** The sites made through the API once the server is up, each with its owner's token. */
let fixtures: { token: string; namespace: string; name: string }[] = [];

function asUser(user: string, groups: string[] = ["system:authenticated"]): Record<string, string> {
  return { "x-remote-user": user, "x-remote-group": groups.join(", ") };
}

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", kind: "CUSTOMER", parent: platform });
  const globex = await createTestAccount(p, { slug: "globex", parent: platform });
  const owner = await createTestUser(p, { email: "o@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  const globexOwner = await createTestUser(p, {
    email: "o@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
  ownerToken = await createTestToken({ userId: owner.id, accountId: acme.id });
  const globexToken = await createTestToken({ userId: globexOwner.id, accountId: globex.id });
  fixtures = [
    { token: ownerToken, namespace: "acme", name: "blog" },
    { token: globexToken, namespace: "globex", name: "intranet" },
  ];
  server = await startTestApiServer({
    frontProxy: {
      config: {
        clientCA: readFileSync(proxy.caCert, "utf8"),
        allowedNames: ["front-proxy-client"],
        ...DEFAULT_REQUEST_HEADERS,
      },
      reviewer: new SubjectAccessReviewer({
        review: async (body) => {
          reviews.push(body);
          const attrs = body.spec.resourceAttributes;
          const allowed =
            body.spec.user === "alice" &&
            (attrs?.namespace === "acme" || (attrs?.namespace === undefined && attrs?.verb === "list"));
          return { allowed, reason: allowed ? "" : "no RBAC binding" };
        },
      }),
    },
  });
});

beforeAll(async () => {
  // The sites, made through the API with each owner's token (the server is up now).
  for (const f of fixtures) {
    const res = await apiRequest(server, {
      method: "POST",
      path: `${G}/namespaces/${f.namespace}/sites`,
      token: f.token,
      body: JSON.stringify({
        apiVersion: "hosting.sitepod.io/v1alpha1",
        kind: "Site",
        metadata: { name: f.name },
        spec: { app: "PHP", primaryDomain: `${f.name}.${f.namespace}.test` },
      }),
    });
    if (res.status !== 201) throw new Error(`fixture ${f.name}: ${res.status} ${res.text}`);
  }
});

afterAll(async () => {
  await server?.close();
});

describe("front-proxy authentication", () => {
  it("ignores X-Remote-* headers without the front proxy's certificate: 401", async () => {
    const res = await apiRequest(server, {
      path: `${G}/namespaces/acme/sites`,
      headers: asUser("alice", ["system:masters"]),
    });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ kind: "Status", reason: "Unauthorized" });
  });

  it("ignores them with a certificate of the same name from another CA: 401", async () => {
    const res = await apiRequest(server, {
      path: `${G}/namespaces/acme/sites`,
      headers: asUser("alice", ["system:masters"]),
      clientCert: forgedCert,
    });
    expect(res.status).toBe(401);
  });

  it("keeps API tokens working on a server that asks for client certificates", async () => {
    const res = await apiRequest(server, { path: `${G}/namespaces/acme/sites`, token: ownerToken });
    expect(res.status).toBe(200);
    expect(
      (res.json() as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name),
    ).toEqual(["blog"]);
  });

  it("serves the user the cluster allows, in the namespace allowed", async () => {
    const before = reviews.length;
    const res = await apiRequest(server, {
      path: `${G}/namespaces/acme/sites`,
      headers: asUser("alice"),
      clientCert: proxyCert,
    });
    expect(res.status).toBe(200);
    expect(
      (res.json() as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name),
    ).toEqual(["blog"]);
    expect(reviews.slice(before)).toEqual([
      expect.objectContaining({
        spec: {
          user: "alice",
          groups: ["system:authenticated"],
          resourceAttributes: {
            namespace: "acme",
            verb: "list",
            group: "hosting.sitepod.io",
            version: "v1alpha1",
            resource: "sites",
          },
        },
      }),
    ]);
  });

  it("lists every account's objects at cluster scope only when allowed there", async () => {
    const res = await apiRequest(server, {
      path: `${G}/sites`,
      headers: asUser("alice"),
      clientCert: proxyCert,
    });
    expect(res.status).toBe(200);
    expect(
      (res.json() as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name).sort(),
    ).toEqual(["blog", "intranet"]);
    const watch = await apiRequest(server, {
      path: `${G}/sites?watch=1&timeoutSeconds=1`,
      headers: asUser("alice"),
      clientCert: proxyCert,
    });
    expect(watch.status).toBe(403);
  });

  it("refuses what the cluster does not allow, as kube-apiserver words it: 403", async () => {
    const res = await apiRequest(server, {
      path: `${G}/namespaces/globex/sites`,
      headers: asUser("alice"),
      clientCert: proxyCert,
    });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({
      reason: "Forbidden",
      message:
        'sites.hosting.sitepod.io is forbidden: User "alice" cannot list resource "sites" in API group "hosting.sitepod.io" in the namespace "globex": no RBAC binding',
    });
    const bob = await apiRequest(server, {
      path: `${G}/namespaces/acme/sites/blog`,
      headers: asUser("bob"),
      clientCert: proxyCert,
    });
    expect(bob.status).toBe(403);
  });

  it("serves discovery to the aggregator (system:masters) without a review", async () => {
    const before = reviews.length;
    const res = await apiRequest(server, {
      path: G,
      headers: asUser("system:kube-aggregator", ["system:masters"]),
      clientCert: proxyCert,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      kind: "APIResourceList",
      groupVersion: "hosting.sitepod.io/v1alpha1",
    });
    expect(reviews.length).toBe(before);
  });

  it("writes under Sitepod's rules and attributes the change to the Kubernetes user", async () => {
    const p = db().prisma;
    const res = await apiRequest(server, {
      method: "PATCH",
      path: `${G}/namespaces/acme/sites/blog`,
      headers: { ...asUser("alice"), "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ metadata: { labels: { team: "web" } } }),
      clientCert: proxyCert,
    });
    expect(res.status).toBe(200);
    const site = await p.site.findFirstOrThrow({ where: { accountId: acme.id, name: "blog" } });
    const change = await p.changeLog.findFirstOrThrow({
      where: { objectId: site.id },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({ actorUserId: null, actorName: "alice" });
    // A write the services refuse stays refused: an invalid name.
    const invalid = await apiRequest(server, {
      method: "POST",
      path: `${G}/namespaces/acme/sites`,
      headers: asUser("alice"),
      body: JSON.stringify({
        apiVersion: "hosting.sitepod.io/v1alpha1",
        kind: "Site",
        metadata: { name: "Not_A_Label" },
        spec: { app: "PHP" },
      }),
      clientCert: proxyCert,
    });
    expect(invalid.status).toBe(422);
  });
});
