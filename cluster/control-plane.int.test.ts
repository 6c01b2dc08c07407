/**
 * Proves the local control plane is a real Kubernetes API server with real controllers:
 * server-side apply field ownership, scheduling onto kwok nodes, garbage collection,
 * quota accounting, validation and watch.
 */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type V1ConfigMap,
  type V1Deployment,
  Watch,
} from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { quantityValue } from "../lib/k8s/drift";
import { useNamespace } from "../tests/helpers/cluster";
import { eventually } from "../tests/helpers/eventually";
import { KWOK_TOLERATION } from "./addons";
import { KWOK_NODE_ALLOCATABLE } from "./cluster";

/** Simulated pods only: kwok nodes are tainted, so only pods that tolerate them land there. */
function deployment(namespace: string, name: string, replicas: number, image = "nginx:1.27"): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: "web", image }],
          nodeSelector: { type: "kwok" },
          tolerations: [{ ...KWOK_TOLERATION }],
        },
      },
    },
  };
}

describe("local control plane", () => {
  const ns = useNamespace("cp");

  it("reports the pinned Kubernetes version", async () => {
    const { VersionApi } = await import("@kubernetes/client-node");
    const info = await ns.kc.makeApiClient(VersionApi).getCode();
    expect(info.gitVersion).toBe("v1.36.3");
    expect(info.minor).toBe("36");
  });

  it("applies server-side with field managers and reports conflicts without force", async () => {
    const objects = KubernetesObjectApi.makeApiClient(ns.kc);
    const applied = await objects.patch(
      deployment(ns.name, "ssa", 1),
      undefined,
      undefined,
      "sitepod",
      true,
      PatchStrategy.ServerSideApply,
    );
    const managers = applied.metadata?.managedFields?.map((f) => f.manager) ?? [];
    expect(managers).toContain("sitepod");

    // A second manager changing a field that "sitepod" owns is a conflict unless forced.
    const rival = deployment(ns.name, "ssa", 3);
    const error = await objects
      .patch(rival, undefined, undefined, "someone-else", false, PatchStrategy.ServerSideApply)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(ApiException);
    const apiError = error as ApiException<string>;
    expect(apiError.code).toBe(409);
    expect(String(apiError.body)).toContain("conflict");
    expect(String(apiError.body)).toContain(".spec.replicas");

    const apps = ns.kc.makeApiClient(AppsV1Api);
    const unchanged = await apps.readNamespacedDeployment({ name: "ssa", namespace: ns.name });
    expect(unchanged.spec?.replicas).toBe(1);

    const forced = await objects.patch(
      rival,
      undefined,
      undefined,
      "someone-else",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(forced.spec?.replicas).toBe(3);
  });

  it("schedules a tolerating Deployment's pods onto the tainted kwok nodes, Running and available", async () => {
    const apps = ns.kc.makeApiClient(AppsV1Api);
    const core = ns.kc.makeApiClient(CoreV1Api);
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment(ns.name, "web", 2) });

    const available = await eventually("2 available replicas", async () => {
      const d = await apps.readNamespacedDeployment({ name: "web", namespace: ns.name });
      return d.status?.availableReplicas === 2 ? d : undefined;
    });
    expect(available.status?.readyReplicas).toBe(2);

    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=web" });
    expect(pods.items).toHaveLength(2);
    const nodes = await core.listNode();
    const kwokNodes = new Set(
      nodes.items
        .filter((n) => n.metadata?.annotations?.["kwok.x-k8s.io/node"] === "fake")
        .map((n) => n.metadata?.name),
    );
    expect(kwokNodes.size).toBeGreaterThanOrEqual(2);
    // Room for a scale benchmark's thousands of sites, not kwokctl's default 110 pods a node.
    for (const node of nodes.items.filter((n) => kwokNodes.has(n.metadata?.name))) {
      expect(quantityValue(node.status?.allocatable?.pods ?? "")).toBe(KWOK_NODE_ALLOCATABLE.pods);
      expect(quantityValue(node.status?.allocatable?.cpu ?? "")).toBe(KWOK_NODE_ALLOCATABLE.cpu);
    }
    for (const pod of pods.items) {
      expect(pod.status?.phase).toBe("Running");
      expect(kwokNodes.has(pod.spec?.nodeName)).toBe(true);
    }
  });

  it("garbage-collects dependents when their owner is deleted", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api);
    const owner = await core.createNamespacedConfigMap({
      namespace: ns.name,
      body: { metadata: { name: "owner" }, data: { role: "owner" } },
    });
    const dependent: V1ConfigMap = {
      metadata: {
        name: "dependent",
        ownerReferences: [
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            name: "owner",
            uid: owner.metadata?.uid ?? "",
            blockOwnerDeletion: true,
          },
        ],
      },
      data: { role: "dependent" },
    };
    await core.createNamespacedConfigMap({ namespace: ns.name, body: dependent });
    await core.deleteNamespacedConfigMap({ name: "owner", namespace: ns.name });

    const gone = await eventually("the dependent to be collected", async () => {
      try {
        await core.readNamespacedConfigMap({ name: "dependent", namespace: ns.name });
        return undefined;
      } catch (err) {
        return err instanceof ApiException && err.code === 404 ? true : undefined;
      }
    });
    expect(gone).toBe(true);
  });

  it("accounts usage in a ResourceQuota's status", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedResourceQuota({
      namespace: ns.name,
      body: { metadata: { name: "quota" }, spec: { hard: { configmaps: "50", secrets: "20" } } },
    });
    // Quota admission counts a new object only once the API server's quota cache holds the quota;
    // creation is counted at admission, never by the controller until its next full resync. The
    // controller's first status write means the quota has been seen.
    await eventually("the quota controller to process the quota", async () => {
      const q = await core.readNamespacedResourceQuota({ name: "quota", namespace: ns.name });
      return q.status?.hard?.secrets ? true : undefined;
    });
    await core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "counted" }, stringData: { k: "v" } },
    });
    const used = await eventually("quota status.used", async () => {
      const q = await core.readNamespacedResourceQuota({ name: "quota", namespace: ns.name });
      const secrets = q.status?.used?.secrets;
      return secrets !== undefined && Number(secrets) >= 1 ? q.status?.used : undefined;
    });
    expect(Number(used.configmaps)).toBeGreaterThanOrEqual(1);
    expect(Number(used.secrets)).toBeGreaterThanOrEqual(1);
  });

  it("rejects an object with an invalid label with 422 and a readable message", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api);
    const error = await core
      .createNamespacedConfigMap({
        namespace: ns.name,
        body: { metadata: { name: "bad-label", labels: { "sitepod.io/site": "not valid!" } } },
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(ApiException);
    const apiError = error as ApiException<string>;
    expect(apiError.code).toBe(422);
    const status = JSON.parse(String(apiError.body)) as { reason: string; message: string };
    expect(status.reason).toBe("Invalid");
    expect(status.message).toContain("metadata.labels");
    expect(status.message).toContain("a valid label must be an empty string or consist of alphanumeric");
  });

  it("validates cert-manager Certificates against the installed CRDs", async () => {
    const objects = KubernetesObjectApi.makeApiClient(ns.kc);
    const certificate = (spec: Record<string, unknown>): KubernetesObject & { spec: unknown } => ({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "site-tls", namespace: ns.name },
      spec,
    });
    const error = await objects.create(certificate({ dnsNames: ["example.com"] })).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<string>).code).toBe(422);
    expect(String((error as ApiException<string>).body)).toContain("spec.secretName: Required value");

    const created = await objects.create(
      certificate({
        secretName: "site-tls",
        dnsNames: ["example.com"],
        issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" },
      }),
    );
    expect(created.metadata?.uid).toBeTruthy();
  });

  it("delivers ADDED, MODIFIED and DELETED events to a watch", async () => {
    const core = ns.kc.makeApiClient(CoreV1Api);
    const events: string[] = [];
    let notify: () => void = () => {};
    const watch = new Watch(ns.kc);
    const controller = await watch.watch(
      `/api/v1/namespaces/${ns.name}/configmaps`,
      { fieldSelector: "metadata.name=watched" },
      (phase) => {
        events.push(phase);
        notify();
      },
      () => {},
    );
    const seen = (phase: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${phase} event; saw ${events.join(",")}`)),
          30_000,
        );
        const check = () => {
          if (events.includes(phase)) {
            clearTimeout(timer);
            resolve();
          }
        };
        notify = check;
        check();
      });
    try {
      await core.createNamespacedConfigMap({
        namespace: ns.name,
        body: { metadata: { name: "watched" }, data: { v: "1" } },
      });
      await seen("ADDED");
      await core.replaceNamespacedConfigMap({
        name: "watched",
        namespace: ns.name,
        body: { metadata: { name: "watched" }, data: { v: "2" } },
      });
      await seen("MODIFIED");
      await core.deleteNamespacedConfigMap({ name: "watched", namespace: ns.name });
      await seen("DELETED");
    } finally {
      controller.abort();
    }
    expect(events).toEqual(["ADDED", "MODIFIED", "DELETED"]);
  });
});
