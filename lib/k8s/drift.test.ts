import type { V1Deployment } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { describeDrift, driftOf, quantityValue } from "./drift";
import { buildSiteChildren } from "./manifests/site";
import { exampleSettings, exampleSiteSpec } from "./manifests/test-fixtures";

const root = { uid: "0b1c6f0e-0000-4000-8000-000000000001" };
const children = () => buildSiteChildren(exampleSiteSpec(), exampleSettings, root);
const rendered = (kind: string) => {
  const obj = children().find((o) => o.kind === kind);
  if (!obj) throw new Error(`no ${kind}`);
  return obj;
};
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** What the API server hands back for a rendered Deployment: defaults, server fields, status. */
function asServerHolds(deployment: object): V1Deployment {
  const d = clone(deployment) as V1Deployment & Record<string, unknown>;
  d.metadata = {
    ...d.metadata,
    uid: "u1",
    resourceVersion: "42",
    generation: 3,
    creationTimestamp: new Date("2026-01-01T00:00:00Z"),
    managedFields: [{ manager: "sitepod", operation: "Apply" }],
    annotations: { ...d.metadata?.annotations, "deployment.kubernetes.io/revision": "2" },
  };
  const spec = d.spec;
  if (!spec) throw new Error("no spec");
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  const pod = spec.template.spec;
  if (!pod) throw new Error("no pod spec");
  pod.dnsPolicy ??= "ClusterFirst";
  pod.schedulerName = "default-scheduler";
  pod.terminationGracePeriodSeconds ??= 30;
  for (const c of pod.containers) {
    c.terminationMessagePath = "/dev/termination-log";
    c.imagePullPolicy ??= "IfNotPresent";
    for (const p of c.ports ?? []) p.protocol = "TCP";
    // The server writes quantities in canonical form.
    if (c.resources?.limits?.cpu === "1") c.resources.limits.cpu = "1000m";
  }
  d.status = { replicas: 1, availableReplicas: 1 };
  return d;
}

describe("drift", () => {
  it("finds none in what the API server holds for an object as Sitepod applied it", () => {
    for (const obj of children()) {
      const held = obj.kind === "Deployment" ? asServerHolds(obj) : { ...clone(obj), status: {} };
      expect(driftOf(obj, held), `${obj.kind} ${obj.metadata.name}`).toEqual([]);
    }
  });

  it("finds a Deployment scaled by hand", () => {
    const deployment = rendered("Deployment") as unknown as V1Deployment;
    const held = asServerHolds(deployment);
    if (held.spec) held.spec.replicas = 3;
    expect(driftOf(deployment, held)).toEqual([
      { path: "spec.replicas", wanted: String(deployment.spec?.replicas), found: "3" },
    ]);
  });

  it("finds an edited ConfigMap, a removed label and a changed image", () => {
    const config = rendered("ConfigMap");
    const held = clone(config) as unknown as {
      data: Record<string, string>;
      metadata: { labels: Record<string, string> };
    };
    const [firstKey] = Object.keys(held.data);
    if (!firstKey) throw new Error("no data");
    held.data[firstKey] = "edited";
    delete held.metadata.labels["sitepod.io/site"];
    const drift = driftOf(config, held);
    expect(drift.map((d) => d.path).sort()).toEqual(
      [`data.${firstKey}`, "metadata.labels.sitepod.io/site"].sort(),
    );
    expect(drift.find((d) => d.path === "metadata.labels.sitepod.io/site")?.found).toBe("(missing)");

    const deployment = rendered("Deployment") as unknown as V1Deployment;
    const swapped = asServerHolds(deployment);
    const container = swapped.spec?.template.spec?.containers[0];
    if (container) container.image = "evil.example/miner:latest";
    expect(driftOf(deployment, swapped)).toEqual([
      {
        path: "spec.template.spec.containers[0].image",
        wanted: deployment.spec?.template.spec?.containers[0]?.image,
        found: "evil.example/miner:latest",
      },
    ]);
  });

  it("never shows a Secret's values", () => {
    const secret = rendered("Secret");
    const held = clone(secret) as unknown as { data: Record<string, string> };
    const [key] = Object.keys(held.data);
    if (!key) throw new Error("no data");
    held.data[key] = Buffer.from("changed").toString("base64");
    const drift = driftOf(secret, held);
    expect(drift).toEqual([{ path: `data.${key}`, wanted: "(hidden)", found: "(hidden)" }]);
    expect(describeDrift(drift)).not.toContain(Buffer.from("changed").toString("base64"));
  });

  it("lets a volume that grew stay grown, and finds one that is smaller", () => {
    const pvc = rendered("PersistentVolumeClaim") as unknown as {
      spec: { resources: { requests: { storage: string } } };
    };
    const grown = clone(pvc);
    grown.spec.resources.requests.storage = "500Gi";
    expect(driftOf(pvc, grown)).toEqual([]);
    const shrunk = clone(pvc);
    shrunk.spec.resources.requests.storage = "1Mi";
    expect(driftOf(pvc, shrunk).map((d) => d.path)).toEqual(["spec.resources.requests.storage"]);
  });

  it("reads fields the client's models rename (_from, _default) under either spelling", () => {
    const rendered = { spec: { ingress: [{ _from: [{ podSelector: { matchLabels: { a: "b" } } }] }] } };
    expect(
      driftOf(rendered, { spec: { ingress: [{ from: [{ podSelector: { matchLabels: { a: "b" } } }] }] } }),
    ).toEqual([]);
    expect(
      driftOf(
        { spec: { limits: [{ default: { cpu: "250m" } }] } },
        { spec: { limits: [{ _default: { cpu: "0.25" } }] } },
      ),
    ).toEqual([]);
    expect(
      driftOf(rendered, { spec: { ingress: [{ from: [{ podSelector: { matchLabels: { a: "c" } } }] }] } }),
    ).toHaveLength(1);
  });

  it("reads quantities as the server writes them", () => {
    expect(quantityValue("1")).toBe(quantityValue("1000m"));
    expect(quantityValue("192Mi")).toBe(192 * 2 ** 20);
    expect(quantityValue("0.5")).toBe(quantityValue("500m"));
    expect(quantityValue("lots")).toBeUndefined();
    expect(driftOf({ spec: { size: "1Gi" } }, { spec: { size: "1024Mi" } })).toEqual([]);
    expect(driftOf({ spec: { size: "1Gi" } }, { spec: { size: "2Gi" } })).toHaveLength(1);
  });

  it("says what drifted in one line, with how many more", () => {
    const fields = [1, 2, 3, 4].map((i) => ({ path: `p${i}`, wanted: "a", found: "b" }));
    expect(describeDrift(fields)).toBe(
      "p1: a wanted, b found; p2: a wanted, b found; p3: a wanted, b found (and 1 more)",
    );
  });
});
