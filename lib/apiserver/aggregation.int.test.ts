/**
 * hosting.sitepod.io behind the local cluster's kube-apiserver, as an aggregated API: the Sitepod
 * API server (on 127.0.0.1) reads the front-proxy settings from kube-system/extension-apiserver-
 * authentication, an APIService points at it through an ExternalName Service (the aggregator dials
 * the external name when --enable-aggregator-routing is off), and `kubectl get sites` against the
 * cluster works under Kubernetes RBAC: a user bound to sitepod-sites-viewer in the account's
 * namespace lists its sites and cannot write; a user without a binding is Forbidden; discovery
 * goes through the aggregator; a cluster admin's write is attributed to its Kubernetes name.
 *
 * Needs the local cluster started with the front-proxy flags (cluster/front-proxy.ts).
 */
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ApiregistrationV1Api,
  CoreV1Api,
  type KubeConfig,
  RbacAuthorizationV1Api,
  type V1APIService,
  type V1ClusterRole,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { clusterReview, readRequestHeaderConfigMap } from "@/lib/apiserver/aggregation";
import { SubjectAccessReviewer } from "@/lib/apiserver/subject-access-review";
import type { Account } from "@/lib/generated/prisma/client";
// @ts-expect-error: plain ESM script without type declarations (it runs before dependencies exist).
import { ensureLocalCerts } from "@/scripts/local-certs.mjs";
import {
  apiRequest,
  createTestToken,
  kubectl,
  startTestApiServer,
  type TestApiServer,
} from "@/tests/helpers/apiserver";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { eventually } from "@/tests/helpers/eventually";

const db = withTestDatabase();
const APISERVICE = "v1alpha1.hosting.sitepod.io";
const suffix = randomBytes(4).toString("hex");
/** The account's short name, which is also the cluster namespace its RoleBinding lives in. */
const slug = `agg-${suffix}`;
const serviceNamespace = `sitepod-agg-${suffix}`;
const viewer = `viewer-${suffix}`;
const stranger = `stranger-${suffix}`;
const viewerRole = `sitepod-sites-viewer-${suffix}`;

let kc: KubeConfig;
let server: TestApiServer;
let account: Account;
let adminKubeconfig = "";

/** The sitepod-sites-viewer ClusterRole of deploy/aggregation.yaml, under a test-unique name. */
function viewerClusterRole() {
  const text = readFileSync(path.join(import.meta.dirname, "../../deploy/aggregation.yaml"), "utf8");
  const role = parseAllDocuments(text)
    .map((d) => d.toJS() as V1ClusterRole & { kind: string; metadata: { name: string } })
    .find((o) => o.kind === "ClusterRole" && o.metadata.name === "sitepod-sites-viewer");
  if (!role) throw new Error("deploy/aggregation.yaml has no ClusterRole sitepod-sites-viewer");
  return { ...role, metadata: { name: viewerRole, labels: { "sitepod.io/test": "true" } } };
}

beforeAll(async () => {
  kc = testKubeConfig();
  const frontProxy = await readRequestHeaderConfigMap(kc);
  if (!frontProxy) {
    throw new Error(
      "the local cluster has no front proxy (no requestheader-client-ca-file): restart it with cluster/front-proxy.ts's flags",
    );
  }
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: `platform-${suffix}`, kind: "PLATFORM" });
  account = await createTestAccount(p, { slug, parent: platform });
  const owner = await createTestUser(p, { email: `o@${slug}.test`, roles: [{ account, role: "OWNER" }] });
  const ownerToken = await createTestToken({ userId: owner.id, accountId: account.id });

  // The aggregator checks the serving certificate for <service>.<namespace>.svc.
  const dir = mkdtempSync(path.join(tmpdir(), "sitepod-aggregation-"));
  (ensureLocalCerts as (d: string, hosts: string[]) => unknown)(dir, [
    "127.0.0.1",
    "localhost",
    `sitepod-apiserver.${serviceNamespace}.svc`,
  ]);
  server = await startTestApiServer({
    restart: { dir, port: 0 },
    frontProxy: { config: frontProxy, reviewer: new SubjectAccessReviewer({ review: clusterReview(kc) }) },
  });
  const created = await apiRequest(server, {
    method: "POST",
    path: `/apis/hosting.sitepod.io/v1alpha1/namespaces/${slug}/sites`,
    token: ownerToken,
    body: JSON.stringify({
      apiVersion: "hosting.sitepod.io/v1alpha1",
      kind: "Site",
      metadata: { name: "blog" },
      spec: { app: "PHP", primaryDomain: `blog.${slug}.test` },
    }),
  });
  if (created.status !== 201) throw new Error(`creating the site: ${created.status} ${created.text}`);

  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const labels = { "sitepod.io/test": "true" };
  for (const name of [serviceNamespace, slug]) {
    await core.createNamespace({ body: { metadata: { name, labels } } });
  }
  await core.createNamespacedService({
    namespace: serviceNamespace,
    body: {
      metadata: { name: "sitepod-apiserver", labels },
      spec: { type: "ExternalName", externalName: "127.0.0.1" },
    },
  });
  await rbac.createClusterRole({ body: viewerClusterRole() });
  await rbac.createNamespacedRoleBinding({
    namespace: slug,
    body: {
      metadata: { name: "sites-viewer", labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: viewerRole },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: viewer }],
    },
  });
  const apiService: V1APIService = {
    metadata: { name: APISERVICE, labels },
    spec: {
      group: "hosting.sitepod.io",
      version: "v1alpha1",
      service: { namespace: serviceNamespace, name: "sitepod-apiserver", port: server.port },
      caBundle: readFileSync(server.caCert).toString("base64"),
      groupPriorityMinimum: 1000,
      versionPriority: 15,
    },
  };
  const registration = kc.makeApiClient(ApiregistrationV1Api);
  await registration.deleteAPIService({ name: APISERVICE }).catch(() => undefined);
  await registration.createAPIService({ body: apiService });
  await eventually("the APIService to be Available", async () => {
    const found = await registration.readAPIService({ name: APISERVICE });
    const available = found.status?.conditions?.find((c) => c.type === "Available");
    return available?.status === "True" ? true : undefined;
  });

  // kubectl as the cluster admin (with --as for the users), its discovery cache in a folder of its own.
  const kubectlDir = mkdtempSync(path.join(tmpdir(), "sitepod-aggregation-kubectl-"));
  adminKubeconfig = path.join(kubectlDir, "kubeconfig");
  copyFileSync(process.env.KUBECONFIG ?? "", adminKubeconfig);
}, 180_000);

afterAll(async () => {
  if (kc) {
    await kc
      .makeApiClient(ApiregistrationV1Api)
      .deleteAPIService({ name: APISERVICE })
      .catch(() => undefined);
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of [serviceNamespace, slug]) await core.deleteNamespace({ name }).catch(() => undefined);
    await kc
      .makeApiClient(RbacAuthorizationV1Api)
      .deleteClusterRole({ name: viewerRole })
      .catch(() => undefined);
  }
  await server?.close();
});

describe("hosting.sitepod.io as an aggregated API of the local cluster", () => {
  it("is discovered through the cluster's API server", async () => {
    const result = await kubectl(adminKubeconfig, [
      "api-resources",
      "--api-group=hosting.sitepod.io",
      "-o",
      "name",
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")).toContain("sites.hosting.sitepod.io");
  });

  it("lists the account's sites for a user RBAC allows, and refuses it a write", async () => {
    const result = await eventually("the viewer's binding to take effect", async () => {
      const r = await kubectl(adminKubeconfig, ["--as", viewer, "get", "sites", "-n", slug, "-o", "name"]);
      return r.code === 0 ? r : undefined;
    });
    expect(result.stdout.trim()).toBe("site.hosting.sitepod.io/blog");
    const write = await kubectl(adminKubeconfig, [
      "--as",
      viewer,
      "label",
      "site",
      "blog",
      "-n",
      slug,
      "team=web",
    ]);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/Forbidden|forbidden/);
    expect(write.stderr).toContain(`User "${viewer}" cannot patch resource "sites"`);
  });

  it("is Forbidden for a user without a binding, in the namespace and across namespaces", async () => {
    const inNamespace = await kubectl(adminKubeconfig, ["--as", stranger, "get", "sites", "-n", slug]);
    expect(inNamespace.code).not.toBe(0);
    expect(inNamespace.stderr).toContain(
      `User "${stranger}" cannot list resource "sites" in API group "hosting.sitepod.io" in the namespace "${slug}"`,
    );
    const everywhere = await kubectl(adminKubeconfig, ["--as", viewer, "get", "sites", "-A"]);
    expect(everywhere.code).not.toBe(0);
    expect(everywhere.stderr).toContain("at the cluster scope");
  });

  it("attributes a cluster admin's change to its Kubernetes name, under Sitepod's rules", async () => {
    const whoami = await kubectl(adminKubeconfig, [
      "auth",
      "whoami",
      "-o",
      "jsonpath={.status.userInfo.username}",
    ]);
    expect(whoami.code).toBe(0);
    const label = await kubectl(adminKubeconfig, ["label", "site", "blog", "-n", slug, "team=web"]);
    expect(label.stderr).toBe("");
    const p = db().prisma;
    const site = await p.site.findFirstOrThrow({ where: { accountId: account.id, name: "blog" } });
    const change = await p.changeLog.findFirstOrThrow({
      where: { objectId: site.id },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({ actorUserId: null, actorName: whoami.stdout.trim() });
    // An invalid object is refused by Sitepod, through the cluster too.
    const invalid = await kubectl(
      adminKubeconfig,
      ["apply", "-n", slug, "-f", "-"],
      JSON.stringify({
        apiVersion: "hosting.sitepod.io/v1alpha1",
        kind: "Site",
        metadata: { name: "Not_A_Label" },
        spec: { app: "PHP" },
      }),
    );
    expect(invalid.code).not.toBe(0);
  });
});
