/**
 * The install manifests in deploy/ against the real local cluster: every object passes the API
 * server's own validation (server-side dry-run apply), the workloads pass the restricted Pod
 * Security Standard, and the RBAC grants the reconciler exactly the (verb, group, resource) tuples
 * lib/reconciler and lib/k8s use, and the panel nothing.
 *
 * Everything is applied under test-unique names (a random namespace stands in for sitepod-system,
 * the cluster-scoped RBAC objects get a random suffix) so parallel runs never collide.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  AuthorizationV1Api,
  CoordinationV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  type V1Deployment,
  type V1Job,
  type V1PodTemplateSpec,
  type V1ResourceAttributes,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { createClusterWriter } from "@/lib/k8s/apply";
import { loadKubeConfig } from "@/lib/k8s/client";
import { managedKinds } from "@/lib/k8s/informers";
import { randomName, testKubeConfig } from "@/tests/helpers/cluster";
import { eventually } from "@/tests/helpers/eventually";

const DEPLOY_DIR = import.meta.dirname;
/** Applied by hand, on purpose outside kustomization.yaml (see the comments in each file). */
const APPLIED_SEPARATELY = [
  "secret.example.yaml",
  "migrate-job.yaml",
  "gateway.example.yaml",
  "aggregation.yaml",
];
const FIELD_MANAGER = "sitepod-deploy-test";

type Manifest = KubernetesObject & Record<string, unknown>;

function loadFile(file: string): Manifest[] {
  const text = readFileSync(path.join(DEPLOY_DIR, file), "utf8");
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((obj): obj is Manifest => obj !== null);
}

function kustomizationResources(): string[] {
  const kustomization = parse(readFileSync(path.join(DEPLOY_DIR, "kustomization.yaml"), "utf8")) as {
    resources?: unknown;
  };
  const resources = kustomization.resources;
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === "string")) {
    throw new Error("kustomization.yaml: resources must be a list of file names");
  }
  return resources;
}

function allManifests(): Manifest[] {
  return [...kustomizationResources(), ...APPLIED_SEPARATELY].flatMap(loadFile);
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * The test variant of a manifest: sitepod-system becomes `namespace`, and the cluster-scoped RBAC
 * objects (and the references to them) get `suffix`.
 */
function variant(obj: Manifest, namespace: string, suffix: string): Manifest {
  const copy = structuredClone(obj);
  const metadata = copy.metadata ?? {};
  // The example Gateway's namespace too: a namespaced dry run needs a namespace that exists.
  if (metadata.namespace === "sitepod-system" || metadata.namespace === "sitepod-gateway") {
    metadata.namespace = namespace;
  }
  if (copy.kind === "ClusterRole" || copy.kind === "ClusterRoleBinding") {
    metadata.name = `${metadata.name}-${suffix}`;
  }
  const roleRef = copy.roleRef as { kind: string; name: string } | undefined;
  if (roleRef?.kind === "ClusterRole") roleRef.name = `${roleRef.name}-${suffix}`;
  const subjects = copy.subjects as Subject[] | undefined;
  for (const subject of subjects ?? []) {
    if (subject.namespace === "sitepod-system") subject.namespace = namespace;
  }
  return copy;
}

function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/`);
  return found;
}

function podTemplates(manifests: Manifest[]): { owner: string; template: V1PodTemplateSpec }[] {
  return manifests.flatMap((m) => {
    if (m.kind !== "Deployment" && m.kind !== "Job") return [];
    const spec = (m as V1Deployment | V1Job).spec;
    if (!spec?.template) throw new Error(`${m.kind} ${m.metadata?.name} has no pod template`);
    return [{ owner: `${m.kind} ${m.metadata?.name}`, template: spec.template }];
  });
}

/** Plural resource names of the kinds the reconciler's informers watch (lib/k8s/informers.ts). */
const RESOURCE_OF_KIND: Record<string, string> = {
  Namespace: "namespaces",
  ServiceAccount: "serviceaccounts",
  ConfigMap: "configmaps",
  Secret: "secrets",
  PersistentVolumeClaim: "persistentvolumeclaims",
  Deployment: "deployments",
  Job: "jobs",
  CronJob: "cronjobs",
  Pod: "pods",
  Service: "services",
  Ingress: "ingresses",
  HTTPRoute: "httproutes",
  NetworkPolicy: "networkpolicies",
  ResourceQuota: "resourcequotas",
  LimitRange: "limitranges",
};

/** A tenant namespace as the reconciler names them; it need not exist for an access review. */
const TENANT = "sp-example";

/**
 * Every request the reconciler makes. Per managed kind: the informers list and watch across all
 * namespaces; ClusterWriter.apply is a server-side apply (a PATCH that creates missing objects:
 * patch + create); delete prunes and terminates; read is a live get. Then the owner-reference
 * finalizers, the cert-manager Certificate read, and the leader-election Lease.
 */
function reconcilerRequests(kc: KubeConfig, leaseNamespace: string): V1ResourceAttributes[] {
  const requests: V1ResourceAttributes[] = [];
  for (const info of managedKinds(kc)) {
    const resource = RESOURCE_OF_KIND[info.kind];
    if (!resource) throw new Error(`deploy test: no resource name for managed kind ${info.kind}`);
    const group = info.apiVersion.includes("/") ? (info.apiVersion.split("/")[0] ?? "") : "";
    const namespace = info.kind === "Namespace" ? undefined : TENANT;
    requests.push({ verb: "list", group, resource }, { verb: "watch", group, resource });
    if (info.readOnly) continue;
    for (const verb of ["get", "create", "patch", "delete"]) {
      requests.push({ verb, group, resource, namespace, name: verb === "create" ? undefined : "x" });
    }
  }
  requests.push(
    { verb: "get", group: "", resource: "pods", subresource: "log", namespace: TENANT, name: "x" },
    { verb: "update", group: "", resource: "configmaps", subresource: "finalizers", namespace: TENANT },
    { verb: "get", group: "cert-manager.io", resource: "certificates", namespace: TENANT, name: "x" },
    {
      verb: "get",
      group: "coordination.k8s.io",
      resource: "leases",
      namespace: leaseNamespace,
      name: "sitepod-reconciler",
    },
    { verb: "create", group: "coordination.k8s.io", resource: "leases", namespace: leaseNamespace },
    {
      verb: "update",
      group: "coordination.k8s.io",
      resource: "leases",
      namespace: leaseNamespace,
      name: "sitepod-reconciler",
    },
  );
  return requests;
}

/** Requests the reconciler never makes and must not be able to make. */
function forbiddenRequests(leaseNamespace: string): V1ResourceAttributes[] {
  const rbac = "rbac.authorization.k8s.io";
  return [
    { verb: "escalate", group: rbac, resource: "clusterroles" },
    { verb: "bind", group: rbac, resource: "clusterroles" },
    { verb: "create", group: rbac, resource: "clusterroles" },
    { verb: "create", group: rbac, resource: "clusterrolebindings" },
    { verb: "create", group: rbac, resource: "rolebindings", namespace: TENANT },
    { verb: "create", group: rbac, resource: "roles", namespace: TENANT },
    { verb: "impersonate", group: "", resource: "serviceaccounts", namespace: TENANT },
    { verb: "delete", group: "", resource: "nodes" },
    { verb: "list", group: "", resource: "nodes" },
    { verb: "create", group: "", resource: "pods", namespace: TENANT },
    { verb: "delete", group: "", resource: "pods", namespace: TENANT, name: "x" },
    { verb: "create", group: "", resource: "pods", subresource: "exec", namespace: TENANT },
    { verb: "create", group: "", resource: "serviceaccounts", subresource: "token", namespace: TENANT },
    { verb: "deletecollection", group: "", resource: "secrets", namespace: TENANT },
    // Writes are server-side applies only; a plain update of the owner would bypass field ownership.
    { verb: "update", group: "", resource: "configmaps", namespace: TENANT, name: "x" },
    { verb: "update", group: "apps", resource: "deployments", namespace: TENANT, name: "x" },
    { verb: "create", group: "cert-manager.io", resource: "certificates", namespace: TENANT },
    { verb: "create", group: "apiextensions.k8s.io", resource: "customresourcedefinitions" },
    // The Gateway is the operator's: Sitepod only attaches routes to it.
    {
      verb: "patch",
      group: "gateway.networking.k8s.io",
      resource: "gateways",
      namespace: "sitepod-gateway",
      name: "x",
    },
    // The Lease rights cover the one Lease, in Sitepod's namespace only.
    {
      verb: "update",
      group: "coordination.k8s.io",
      resource: "leases",
      namespace: leaseNamespace,
      name: "other",
    },
    { verb: "get", group: "coordination.k8s.io", resource: "leases", namespace: "kube-system", name: "x" },
    { verb: "create", group: "coordination.k8s.io", resource: "leases", namespace: TENANT },
  ];
}

function describeRequest(r: V1ResourceAttributes): string {
  const resource = [r.group || "core", r.resource, r.subresource].filter(Boolean).join("/");
  return `${r.verb} ${resource}${r.namespace ? ` in ${r.namespace}` : ""}${r.name ? ` (${r.name})` : ""}`;
}

describe("deploy/ manifests", () => {
  const suffix = randomName("t").slice(2);
  let kc: KubeConfig;
  let namespace = "";
  let objects: KubernetesObjectApi;
  let authz: AuthorizationV1Api;
  let created: Manifest[] = [];
  let tempDir = "";

  beforeAll(async () => {
    kc = testKubeConfig();
    objects = KubernetesObjectApi.makeApiClient(kc);
    authz = kc.makeApiClient(AuthorizationV1Api);
    namespace = randomName("deploy");
    await kc.makeApiClient(CoreV1Api).createNamespace({
      body: {
        metadata: {
          name: namespace,
          labels: { "sitepod.io/test": "true", "pod-security.kubernetes.io/enforce": "restricted" },
        },
      },
    });
    // The real RBAC: service accounts, the cluster role and its binding, the Lease role and binding.
    // The API server's service account lives with its Deployment, in apiserver.yaml.
    created = [
      ...loadFile("rbac.yaml"),
      ...loadFile("apiserver.yaml").filter((m) => m.kind === "ServiceAccount"),
    ].map((m) => variant(m, namespace, suffix));
    for (const obj of created) {
      await objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    }
  });

  afterAll(async () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    const rbac = kc?.makeApiClient(RbacAuthorizationV1Api);
    for (const obj of created) {
      const name = obj.metadata?.name ?? "";
      if (obj.kind === "ClusterRoleBinding")
        await rbac?.deleteClusterRoleBinding({ name }).catch(() => undefined);
      if (obj.kind === "ClusterRole") await rbac?.deleteClusterRole({ name }).catch(() => undefined);
    }
    if (!namespace || !kc) return;
    const core = kc.makeApiClient(CoreV1Api);
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await eventually(
      `namespace ${namespace} gone`,
      async () => {
        try {
          await core.readNamespace({ name: namespace });
          return undefined;
        } catch {
          return true;
        }
      },
      60_000,
    );
  });

  it("lists every manifest in kustomization.yaml except the ones applied by hand", () => {
    const yamlFiles = readdirSync(DEPLOY_DIR).filter(
      (f) => f.endsWith(".yaml") && f !== "kustomization.yaml",
    );
    expect([...kustomizationResources(), ...APPLIED_SEPARATELY].sort()).toEqual(yamlFiles.sort());
  });

  it("passes the API server's validation: server-side dry-run apply of every object", async () => {
    const manifests = allManifests();
    expect(manifests.map((m) => `${m.kind}/${m.metadata?.name}`)).toEqual(
      expect.arrayContaining([
        "Namespace/sitepod-system",
        "ServiceAccount/sitepod-web",
        "ServiceAccount/sitepod-reconciler",
        "ClusterRole/sitepod-reconciler",
        "ClusterRoleBinding/sitepod-reconciler",
        "Role/sitepod-reconciler-leader-election",
        "RoleBinding/sitepod-reconciler-leader-election",
        "Deployment/sitepod-web",
        "Deployment/sitepod-reconciler",
        "Service/sitepod-web",
        "ServiceAccount/sitepod-apiserver",
        "Deployment/sitepod-apiserver",
        "Service/sitepod-apiserver",
        "Secret/sitepod",
        "Job/sitepod-migrate",
        "Gateway/sitepod",
        "APIService/v1alpha1.hosting.sitepod.io",
        "ClusterRole/sitepod-apiserver-authorization",
        "RoleBinding/sitepod-apiserver-authentication-reader",
        "ClusterRole/sitepod-sites-viewer",
        "ClusterRole/sitepod-sites-editor",
      ]),
    );
    for (const obj of manifests) {
      const applied = await objects
        .patch(
          variant(obj, namespace, suffix),
          undefined,
          "All",
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        )
        .catch((err: unknown) => {
          throw new Error(`${obj.kind} ${obj.metadata?.name}: ${String(err)}`);
        });
      expect(applied.kind).toBe(obj.kind);
    }
    // Dry run: nothing of it was stored.
    const core = kc.makeApiClient(CoreV1Api);
    await expect(core.readNamespacedService({ name: "sitepod-web", namespace })).rejects.toThrow();
  });

  it("runs every workload under the restricted Pod Security Standard", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const templates = podTemplates(allManifests());
    expect(templates.map((t) => t.owner).sort()).toEqual([
      "Deployment sitepod-apiserver",
      "Deployment sitepod-reconciler",
      "Deployment sitepod-web",
      "Job sitepod-migrate",
    ]);
    for (const { owner, template } of templates) {
      await core
        .createNamespacedPod({
          namespace,
          dryRun: "All",
          body: { metadata: { name: "pss-check", namespace }, spec: template.spec },
        })
        .catch((err: unknown) => {
          throw new Error(`${owner}: ${String(err)}`);
        });
    }
    // The namespace really enforces it: a pod without the security context is refused.
    const [first] = templates;
    const container = first?.template.spec?.containers[0];
    if (!container) throw new Error("no container");
    await expect(
      core.createNamespacedPod({
        namespace,
        dryRun: "All",
        body: {
          metadata: { name: "pss-negative", namespace },
          spec: { containers: [{ name: container.name, image: container.image }] },
        },
      }),
    ).rejects.toThrow(/restricted/);
  });

  it("gives the panel and the API server no token and the reconciler leader election", () => {
    const manifests = allManifests();
    const apiSa = find(manifests, "ServiceAccount", "sitepod-apiserver");
    expect(apiSa.automountServiceAccountToken).toBe(false);
    const api = find(manifests, "Deployment", "sitepod-apiserver") as V1Deployment;
    expect(api.spec?.template.spec?.automountServiceAccountToken).toBe(false);
    const webSa = find(manifests, "ServiceAccount", "sitepod-web");
    expect(webSa.automountServiceAccountToken).toBe(false);
    const web = find(manifests, "Deployment", "sitepod-web") as V1Deployment;
    expect(web.spec?.replicas).toBe(2);
    expect(web.spec?.template.spec?.automountServiceAccountToken).toBe(false);
    const reconciler = find(manifests, "Deployment", "sitepod-reconciler") as V1Deployment;
    expect(reconciler.spec?.replicas).toBe(2);
    const env = reconciler.spec?.template.spec?.containers[0]?.env ?? [];
    expect(env).toContainEqual({ name: "SITEPOD_LEADER_ELECTION", value: "1" });
  });

  async function allowed(user: string, request: V1ResourceAttributes): Promise<boolean> {
    const review = await authz.createSubjectAccessReview({
      body: {
        spec: {
          user: `system:serviceaccount:${namespace}:${user}`,
          groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"],
          resourceAttributes: request,
        },
      },
    });
    return review.status?.allowed === true;
  }

  it("allows the reconciler every request it makes", async () => {
    const requests = reconcilerRequests(kc, namespace);
    // The RBAC authorizer learns new bindings from its informers: wait until it has them.
    const [first] = requests;
    if (!first) throw new Error("no requests");
    await eventually("the reconciler's bindings to take effect", async () =>
      (await allowed("sitepod-reconciler", first)) ? true : undefined,
    );
    const denied: string[] = [];
    for (const request of requests) {
      if (!(await allowed("sitepod-reconciler", request))) denied.push(describeRequest(request));
    }
    expect(denied).toEqual([]);
  });

  it("denies the reconciler everything it does not need", async () => {
    const lease = {
      verb: "update",
      group: "coordination.k8s.io",
      resource: "leases",
      namespace,
      name: "sitepod-reconciler",
    };
    await eventually("the reconciler's bindings to take effect", async () =>
      (await allowed("sitepod-reconciler", lease)) ? true : undefined,
    );
    const granted: string[] = [];
    for (const request of forbiddenRequests(namespace)) {
      if (await allowed("sitepod-reconciler", request)) granted.push(describeRequest(request));
    }
    expect(granted).toEqual([]);
  });

  it("denies the panel's service account every request tried", async () => {
    const granted: string[] = [];
    for (const request of [...reconcilerRequests(kc, namespace), ...forbiddenRequests(namespace)]) {
      if (await allowed("sitepod-web", request)) granted.push(describeRequest(request));
    }
    expect(granted).toEqual([]);
  });

  it("authenticates the reconciler through its kubeconfig with a service-account token file", async () => {
    // The kubeconfig from deploy/config.yaml, pointed at the test cluster: same auth provider, a
    // real token for the test's sitepod-reconciler, the cluster's CA.
    const configMap = find(loadFile("config.yaml"), "ConfigMap", "sitepod-reconciler-kubeconfig");
    const text = (configMap.data as { config?: string } | undefined)?.config;
    if (!text) throw new Error("sitepod-reconciler-kubeconfig has no data.config");
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error("test kubeconfig has no cluster");
    tempDir = mkdtempSync(path.join(tmpdir(), "sitepod-deploy-"));
    const caFile = path.join(tempDir, "ca.crt");
    if (cluster.caData) writeFileSync(caFile, Buffer.from(cluster.caData, "base64"));
    else if (cluster.caFile) writeFileSync(caFile, readFileSync(cluster.caFile));
    else throw new Error("test cluster has no CA");
    const token = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      name: "sitepod-reconciler",
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const tokenFile = path.join(tempDir, "token");
    writeFileSync(tokenFile, token.status?.token ?? "");
    const file = path.join(tempDir, "config");
    writeFileSync(
      file,
      text
        .replace("https://kubernetes.default.svc", cluster.server)
        .replace("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", caFile)
        .replace("/var/run/secrets/kubernetes.io/serviceaccount/token", tokenFile),
    );

    const reconcilerKc = loadKubeConfig(file);
    const leases = reconcilerKc.makeApiClient(CoordinationV1Api);
    const lease = await eventually("the reconciler to create its Lease", () =>
      leases.createNamespacedLease({
        namespace,
        body: { metadata: { name: "sitepod-reconciler" }, spec: { holderIdentity: "deploy-test" } },
      }),
    );
    expect(lease.metadata?.name).toBe("sitepod-reconciler");
    // Same identity, a Lease it has no rights on: refused by RBAC, not by authentication.
    await expect(
      leases.readNamespacedLease({ name: "sitepod-reconciler", namespace: "kube-system" }),
    ).rejects.toThrow(/403|forbidden/i);

    // The reconciler's own write path (lib/k8s/apply.ts) under these rights: a server-side apply
    // that creates the object, a live read, a delete.
    const writer = createClusterWriter(reconcilerKc);
    const ref = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "deploy-check", namespace } };
    const applied = await writer.apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "deploy-check", namespace, labels: {}, annotations: {} },
      data: { checked: "yes" },
    });
    expect(applied.metadata?.uid).toBeTruthy();
    expect((await writer.read(ref))?.metadata?.uid).toBe(applied.metadata?.uid);
    expect(await writer.delete(ref)).toBe(true);
  });
});
