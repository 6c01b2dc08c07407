import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { ObservedObject } from "@/lib/k8s/informers";
import { ACCOUNT_LABEL, COMPONENT_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import type { ManagedKind } from "@/lib/k8s/manifests/objects";
import { wakesNothing } from "./wakes-nothing";

const labels = { [SITE_LABEL]: "s1", [ACCOUNT_LABEL]: "a1", [COMPONENT_LABEL]: "wp-cron" };

const wpCron = (resourceVersion: string, over: Record<string, unknown> = {}): KubernetesObject =>
  ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "blog-wp-cron", namespace: "sp-acme", resourceVersion, generation: 1, labels },
    spec: { schedule: "*/5 * * * *", suspend: false },
    status: { lastScheduleTime: "2026-12-01T22:05:00Z" },
    ...over,
  }) as KubernetesObject;

const observed = (kind: ManagedKind, object: KubernetesObject): ObservedObject => ({
  kind,
  apiVersion: object.apiVersion ?? "v1",
  object,
});

describe("cluster events that wake no pass", () => {
  it("a run of wp-cron: its CronJob's status alone changed", () => {
    const next = wpCron("8", {
      status: { lastScheduleTime: "2026-12-01T22:10:00Z", active: [{ name: "blog-wp-cron-29409130" }] },
    });
    expect(wakesNothing("update", observed("CronJob", next), () => wpCron("7"))).toBe(true);
  });

  it("a quota's usage changing with a pod", () => {
    const quota = (resourceVersion: string, pods: string): KubernetesObject =>
      ({
        apiVersion: "v1",
        kind: "ResourceQuota",
        metadata: { name: "plan", namespace: "sp-acme", resourceVersion, labels: { [ACCOUNT_LABEL]: "a1" } },
        spec: { hard: { pods: "10" } },
        status: { hard: { pods: "10" }, used: { pods } },
      }) as KubernetesObject;
    expect(wakesNothing("update", observed("ResourceQuota", quota("9", "3")), () => quota("8", "2"))).toBe(
      true,
    );
  });

  it("but a hand edit of the same objects wakes their pass: spec, labels, annotations", () => {
    const edits: Array<Record<string, unknown>> = [
      { spec: { schedule: "* * * * *", suspend: false } },
      {
        metadata: {
          name: "blog-wp-cron",
          namespace: "sp-acme",
          resourceVersion: "8",
          generation: 1,
          labels: {},
        },
      },
      {
        metadata: {
          name: "blog-wp-cron",
          namespace: "sp-acme",
          resourceVersion: "8",
          generation: 1,
          labels,
          annotations: { "sitepod.io/spec-hash": "x" },
        },
      },
    ];
    for (const edit of edits) {
      expect(wakesNothing("update", observed("CronJob", wpCron("8", edit)), () => wpCron("7"))).toBe(false);
    }
  });

  it("and so does a status change of a kind whose status a pass reads, an add, a delete, or no previous version", () => {
    const deployment = (resourceVersion: string, ready: number): KubernetesObject =>
      ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "blog", namespace: "sp-acme", resourceVersion, labels },
        spec: { replicas: 1 },
        status: { readyReplicas: ready },
      }) as KubernetesObject;
    expect(wakesNothing("update", observed("Deployment", deployment("3", 1)), () => deployment("2", 0))).toBe(
      false,
    );
    expect(wakesNothing("add", observed("CronJob", wpCron("8")), () => wpCron("7"))).toBe(false);
    expect(wakesNothing("delete", observed("CronJob", wpCron("8")), () => wpCron("7"))).toBe(false);
    expect(wakesNothing("update", observed("CronJob", wpCron("8")))).toBe(false);
  });
});
