import type { V1Deployment } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { SPEC_HASH_ANNOTATION } from "@/lib/k8s/manifests/labels";
import type { Condition } from "@/lib/views";
import {
  deploymentAvailable,
  mergeConditions,
  observeSiteStatus,
  parseConditions,
  statusChanged,
  suspendedStatus,
} from "./site-status";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const t1 = new Date("2026-01-01T00:05:00.000Z");

function dep(
  overrides: { hash?: string; generation?: number; status?: V1Deployment["status"] } = {},
): V1Deployment {
  return {
    metadata: {
      generation: overrides.generation ?? 2,
      annotations: { [SPEC_HASH_ANNOTATION]: overrides.hash ?? "h1" },
    },
    spec: { replicas: 1, selector: {}, template: {} },
    status: overrides.status ?? {
      observedGeneration: 2,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1,
    },
  };
}

describe("mergeConditions", () => {
  it("keeps lastTransitionTime while the status stays, and moves it when the status changes", () => {
    const first = mergeConditions(
      [],
      [{ type: "Ready", status: "False", reason: "VolumePending", message: "m" }],
      1,
      t0,
    );
    expect(first[0]).toMatchObject({ lastTransitionTime: t0.toISOString(), observedGeneration: 1 });
    const sameStatus = mergeConditions(
      first,
      [{ type: "Ready", status: "False", reason: "DeploymentNotAvailable", message: "m2" }],
      1,
      t1,
    );
    expect(sameStatus[0]?.lastTransitionTime).toBe(t0.toISOString());
    const flipped = mergeConditions(
      sameStatus,
      [{ type: "Ready", status: "True", reason: "Available", message: "" }],
      1,
      t1,
    );
    expect(flipped[0]?.lastTransitionTime).toBe(t1.toISOString());
  });
});

describe("statusChanged", () => {
  const conditions: Condition[] = [
    {
      type: "Ready",
      status: "True",
      reason: "Available",
      message: "",
      lastTransitionTime: "x",
      observedGeneration: 1,
    },
  ];
  it("is false for an identical status, so a steady reconcile writes nothing", () => {
    expect(
      statusChanged(
        { phase: "RUNNING", observedGeneration: 1, conditions },
        { phase: "RUNNING", observedGeneration: 1, conditions: structuredClone(conditions) },
      ),
    ).toBe(false);
  });
  it("is true when the phase, the generation or a condition differs", () => {
    const base = { phase: "RUNNING" as const, observedGeneration: 1, conditions };
    expect(statusChanged(base, { ...base, phase: "DEGRADED" })).toBe(true);
    expect(statusChanged(base, { ...base, observedGeneration: 2 })).toBe(true);
    expect(
      statusChanged(base, { ...base, conditions: [{ ...conditions[0], message: "new" } as Condition] }),
    ).toBe(true);
    expect(statusChanged({ ...base, conditions: [] }, base)).toBe(true);
  });
});

describe("deploymentAvailable", () => {
  it("needs the wanted spec hash, an observed generation and available replicas", () => {
    expect(deploymentAvailable(dep(), "h1")).toBe(true);
    expect(deploymentAvailable(dep(), "h2")).toBe(false);
    expect(deploymentAvailable(dep({ generation: 3 }), "h1")).toBe(false);
    expect(
      deploymentAvailable(
        dep({ status: { observedGeneration: 2, updatedReplicas: 1, availableReplicas: 0 } }),
        "h1",
      ),
    ).toBe(false);
    expect(deploymentAvailable(undefined, "h1")).toBe(false);
  });
});

describe("observeSiteStatus", () => {
  it("is RUNNING and Ready once the Deployment is available", () => {
    const s = observeSiteStatus({
      deployment: dep(),
      wantedDeploymentHash: "h1",
      pvc: { status: { phase: "Bound" } },
    });
    expect(s.phase).toBe("RUNNING");
    expect(s.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      "Ready=True",
      "Progressing=False",
      "Degraded=False",
    ]);
  });
  it("is PROVISIONING and says what it waits for", () => {
    const s = observeSiteStatus({ deployment: dep({ hash: "old" }), wantedDeploymentHash: "h1", pvc: {} });
    expect(s.phase).toBe("PROVISIONING");
    expect(s.conditions[0]).toMatchObject({ type: "Ready", status: "False", reason: "VolumePending" });
  });
  it("is DEGRADED when the rollout exceeded its deadline", () => {
    const stuck = dep({
      status: {
        observedGeneration: 2,
        conditions: [
          { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "too slow" },
        ],
      },
    });
    const s = observeSiteStatus({
      deployment: stuck,
      wantedDeploymentHash: "h1",
      pvc: { status: { phase: "Bound" } },
    });
    expect(s.phase).toBe("DEGRADED");
    expect(s.conditions.find((c) => c.type === "Degraded")).toMatchObject({
      status: "True",
      message: "too slow",
    });
  });
  it("is DEGRADED with QuotaExceeded when the plan's quota refuses the pod", () => {
    const refused = dep({
      status: {
        observedGeneration: 2,
        conditions: [
          {
            type: "ReplicaFailure",
            status: "True",
            reason: "FailedCreate",
            message:
              'pods "shop-1" is forbidden: exceeded quota: sitepod-plan, requested: limits.memory=448Mi',
          },
        ],
      },
    });
    const s = observeSiteStatus({
      deployment: refused,
      wantedDeploymentHash: "h1",
      pvc: { status: { phase: "Bound" } },
    });
    expect(s.phase).toBe("DEGRADED");
    expect(s.conditions.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "QuotaExceeded",
    });
    expect(s.conditions[0]?.message).toContain("exceeded quota: sitepod-plan");
  });
});

describe("parseConditions", () => {
  it("reads stored conditions and treats anything malformed as none", () => {
    expect(parseConditions([{ type: "Ready" }])).toEqual([]);
    expect(parseConditions(null)).toEqual([]);
  });
});

describe("suspendedStatus", () => {
  it("is phase SUSPENDED, Ready=False AccountSuspended with the provider's reason", () => {
    const status = suspendedStatus("unpaid invoice", 0);
    expect(status.phase).toBe("SUSPENDED");
    expect(status.conditions.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "AccountSuspended",
      message: "The account is suspended: unpaid invoice",
    });
    expect(status.conditions.find((c) => c.type === "Progressing")?.status).toBe("False");
    expect(status.conditions.find((c) => c.type === "Degraded")?.status).toBe("False");
  });

  it("is progressing while pods are still stopping", () => {
    expect(suspendedStatus("", 1).conditions.find((c) => c.type === "Progressing")).toMatchObject({
      status: "True",
      reason: "ScalingDown",
    });
  });
});
