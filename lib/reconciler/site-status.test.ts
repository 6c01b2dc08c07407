import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { SPEC_HASH_ANNOTATION } from "@/lib/k8s/manifests/labels";
import type { Condition } from "@/lib/views";
import { mergeConditions, parseConditions } from "./conditions";
import type { Fault } from "./site-faults";
import {
  deploymentAvailable,
  faultStatus,
  observeSiteStatus,
  statusChanged,
  storedEvidence,
  suspendedStatus,
  withEvidence,
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

describe("observeSiteStatus with pods and the WordPress install", () => {
  const now = new Date("2026-03-01T12:00:00.000Z");
  const bound = { status: { phase: "Bound" } };
  const crashFault: Fault = {
    reason: "InstallFailed",
    message: "Installing WordPress failed (Job blog-install-1, BackoffLimitExceeded).",
    evidence: [{ kind: "log", pod: "blog-install-1-x", container: "install", previous: false }],
  };
  const crashing: V1Pod = {
    metadata: { name: "blog-1", creationTimestamp: now },
    status: {
      phase: "Running",
      containerStatuses: [
        {
          name: "php",
          image: "rt",
          imageID: "",
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { exitCode: 255 } },
        },
      ],
    },
  };
  const unavailable = dep({ status: { observedGeneration: 2, replicas: 1, unavailableReplicas: 1 } });

  it("is never RUNNING before the install succeeded, even with a Deployment scaled to zero and 'available'", () => {
    const zero = { ...dep(), spec: { replicas: 0, selector: {}, template: {} } };
    const s = observeSiteStatus({
      deployment: zero,
      wantedDeploymentHash: "h1",
      pvc: bound,
      install: { state: "running" },
      now,
    });
    expect(s.phase).toBe("PROVISIONING");
    expect(s.conditions[0]).toMatchObject({ type: "Ready", status: "False", reason: "Installing" });
    expect(
      observeSiteStatus({ wantedDeploymentHash: "h1", pvc: {}, install: { state: "pending" }, now })
        .conditions[0]?.reason,
    ).toBe("VolumePending");
    expect(
      observeSiteStatus({
        deployment: zero,
        wantedDeploymentHash: "h1",
        install: { state: "succeeded" },
        now,
      }).conditions[0]?.reason,
    ).toBe("Installed");
  });

  it("is DEGRADED with the install's fault, and passes the fault on for its evidence", () => {
    const s = observeSiteStatus({
      wantedDeploymentHash: "h1",
      pvc: bound,
      install: { state: "failed", fault: crashFault },
      now,
    });
    expect(s.phase).toBe("DEGRADED");
    expect(s.fault).toBe(crashFault);
    expect(s.conditions.map((c) => `${c.type}=${c.status}:${c.reason}`)).toEqual([
      "Ready=False:InstallFailed",
      "Progressing=True:InstallFailed",
      "Degraded=True:InstallFailed",
    ]);
  });

  it("asks to be looked at again while an install pod may still turn into a fault", () => {
    const s = observeSiteStatus({
      wantedDeploymentHash: "h1",
      pvc: bound,
      install: { state: "running", recheckAfterMs: 42_000 },
      now,
    });
    expect(s).toMatchObject({ phase: "PROVISIONING", recheckAfterMs: 42_000 });
  });

  it("is DEGRADED, not endlessly PROVISIONING, when the site's pod crash-loops", () => {
    const s = observeSiteStatus({
      deployment: unavailable,
      wantedDeploymentHash: "h1",
      pvc: bound,
      pods: [crashing],
      now,
    });
    expect(s.phase).toBe("DEGRADED");
    expect(s.fault?.reason).toBe("CrashLoop");
    expect(s.conditions.find((c) => c.type === "Degraded")?.message).toContain(
      'Container "php" of pod blog-1',
    );
  });

  it("stays PROVISIONING with a recheck while the pod is young and not ready yet", () => {
    const young: V1Pod = {
      metadata: { name: "blog-1", creationTimestamp: now },
      status: {
        phase: "Running",
        containerStatuses: [
          {
            name: "nginx",
            image: "rt",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { running: { startedAt: new Date(now.getTime() - 20_000) } },
          },
        ],
      },
    };
    const s = observeSiteStatus({
      deployment: unavailable,
      wantedDeploymentHash: "h1",
      pvc: bound,
      pods: [young],
      now,
    });
    expect(s).toMatchObject({ phase: "PROVISIONING", recheckAfterMs: 160_000 });
    expect(s.fault).toBeUndefined();
  });
});

describe("evidence on the Degraded condition", () => {
  const fault: Fault = { reason: "CrashLoop", message: "php keeps exiting", evidence: [] };
  const stored = (overrides: Partial<Condition>): Condition[] => [
    {
      type: "Degraded",
      status: "True",
      reason: "CrashLoop",
      message: "php keeps exiting",
      logs: "==> container php <==\nFatal",
      lastTransitionTime: "t",
      observedGeneration: 1,
      ...overrides,
    },
  ];

  it("reuses what was captured while the same fault lasts, so logs are fetched once", () => {
    expect(storedEvidence(stored({}), fault)).toBe("==> container php <==\nFatal");
    expect(storedEvidence(stored({ logs: undefined }), fault)).toBe("");
  });

  it("captures anew for another fault, another message, or after a recovery", () => {
    expect(storedEvidence(stored({ reason: "NotReady" }), fault)).toBeUndefined();
    expect(storedEvidence(stored({ message: "nginx keeps exiting" }), fault)).toBeUndefined();
    expect(storedEvidence(stored({ status: "False" }), fault)).toBeUndefined();
    expect(storedEvidence([], fault)).toBeUndefined();
  });

  it("attaches the logs to the Degraded condition only, and a change in them is a change to write", () => {
    const s = withEvidence(faultStatus(fault), "the log");
    expect(s.conditions.map((c) => c.logs)).toEqual([undefined, undefined, "the log"]);
    const written = mergeConditions([], s.conditions, 1, t0);
    const base = { phase: "DEGRADED" as const, observedGeneration: 1, conditions: written };
    expect(statusChanged(base, { ...base, conditions: structuredClone(written) })).toBe(false);
    const other = mergeConditions(written, withEvidence(faultStatus(fault), "other").conditions, 1, t1);
    expect(statusChanged(base, { ...base, conditions: other })).toBe(true);
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
