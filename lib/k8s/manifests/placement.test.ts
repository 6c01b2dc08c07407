import type { V1CronJob, V1Deployment, V1Job } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  PlacementSettingError,
  parseNodeSelector,
  parseTolerations,
  placementPodFields,
  sitePlacementFromEnv,
} from "@/lib/k8s/manifests/placement";
import { buildSiteChildren } from "@/lib/k8s/manifests/site";
import { exampleSettings, exampleSiteSpec } from "@/lib/k8s/manifests/test-fixtures";

const root = { uid: "0b1c6f0e-0000-4000-8000-000000000001" };
// Not installed yet, so the install Job is rendered too.
const notInstalled = () => {
  const spec = exampleSiteSpec();
  return { ...spec, wordpress: spec.wordpress ? { ...spec.wordpress, completed: false } : undefined };
};

describe("site placement settings", () => {
  it("reads a node selector written as kubectl writes labels", () => {
    expect(parseNodeSelector(" sitepod.io/pool=sites , kubernetes.io/os=linux ")).toEqual({
      "sitepod.io/pool": "sites",
      "kubernetes.io/os": "linux",
    });
    expect(parseNodeSelector("")).toBeUndefined();
    expect(parseNodeSelector(undefined)).toBeUndefined();
  });

  it("reads tolerations written as kubectl writes taints", () => {
    expect(parseTolerations("dedicated=sites:NoSchedule,kwok.x-k8s.io/node:NoExecute,spot")).toEqual([
      { key: "dedicated", operator: "Equal", value: "sites", effect: "NoSchedule" },
      { key: "kwok.x-k8s.io/node", operator: "Exists", effect: "NoExecute" },
      { key: "spot", operator: "Exists" },
    ]);
    expect(parseTolerations(" ")).toBeUndefined();
  });

  it("refuses entries it cannot read, naming the setting and the entry", () => {
    expect(() => parseNodeSelector("pool")).toThrow(PlacementSettingError);
    expect(() => parseNodeSelector("pool")).toThrow(/SITEPOD_SITE_NODE_SELECTOR: "pool" is not/);
    expect(() => parseNodeSelector("bad key=x")).toThrow(/"bad key=x"/);
    expect(() => parseTolerations("dedicated=sites:Sometimes")).toThrow(
      /SITEPOD_SITE_TOLERATIONS: "dedicated=sites:Sometimes" is not a toleration.*NoSchedule/,
    );
    expect(() => parseTolerations("=x:NoSchedule")).toThrow(PlacementSettingError);
  });

  it("puts the placement on every pod a site has, and nothing when none is set", () => {
    const placement = sitePlacementFromEnv({
      SITEPOD_SITE_NODE_SELECTOR: "type=kwok",
      SITEPOD_SITE_TOLERATIONS: "kwok.x-k8s.io/node=fake:NoSchedule",
    });
    const podSpecs = (objects: ReturnType<typeof buildSiteChildren>) =>
      objects.flatMap((o) => {
        if (o.kind === "Deployment" || o.kind === "Job") {
          return [(o as unknown as V1Deployment | V1Job).spec?.template.spec];
        }
        if (o.kind === "CronJob") return [(o as unknown as V1CronJob).spec?.jobTemplate.spec?.template.spec];
        return [];
      });
    // While WordPress is installed: the install Job and the web Deployment; after: the Deployment and
    // WordPress's cron.
    const placed = [
      ...podSpecs(buildSiteChildren({ ...notInstalled(), placement }, exampleSettings, root)),
      ...podSpecs(buildSiteChildren({ ...exampleSiteSpec(), placement }, exampleSettings, root)),
    ];
    expect(placed).toHaveLength(4);
    for (const pod of placed) {
      expect(pod?.nodeSelector).toEqual({ type: "kwok" });
      expect(pod?.tolerations).toEqual([
        { key: "kwok.x-k8s.io/node", operator: "Equal", value: "fake", effect: "NoSchedule" },
      ]);
    }
    for (const pod of [
      ...podSpecs(buildSiteChildren(notInstalled(), exampleSettings, root)),
      ...podSpecs(buildSiteChildren(exampleSiteSpec(), exampleSettings, root)),
    ]) {
      expect(pod).not.toHaveProperty("nodeSelector");
      expect(pod).not.toHaveProperty("tolerations");
    }
    expect(placementPodFields(undefined)).toEqual({});
  });
});
