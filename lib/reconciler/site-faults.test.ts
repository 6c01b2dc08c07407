import type { V1ContainerStatus, V1Job, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  formatEvidence,
  INSTALL_POD_GRACE_MS,
  INSTALL_RUN_LIMIT_MS,
  installJobState,
  installPodCheckInMs,
  installRetryDelayMs,
  LOG_MAX_CHARS,
  lastLines,
  NOT_READY_AFTER_MS,
  podFault,
  podsFault,
  redact,
  timeOf,
  UNSCHEDULABLE_AFTER_MS,
} from "./site-faults";

const now = new Date("2026-03-01T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const IMAGE = "sitepod.local/runtime:php8.3";

function container(name: string, overrides: Partial<V1ContainerStatus> = {}): V1ContainerStatus {
  return {
    name,
    image: IMAGE,
    imageID: "",
    ready: true,
    restartCount: 0,
    state: { running: { startedAt: ago(60_000) } },
    ...overrides,
  };
}

/** A site pod as the informer holds it; both containers running and ready unless told otherwise. */
function pod(
  overrides: {
    name?: string;
    phase?: string;
    nginx?: Partial<V1ContainerStatus>;
    php?: Partial<V1ContainerStatus>;
    conditions?: NonNullable<V1Pod["status"]>["conditions"];
    created?: Date;
    deleting?: boolean;
    ownerJob?: { name: string; uid: string };
  } = {},
): V1Pod {
  return {
    metadata: {
      name: overrides.name ?? "blog-7c9d-abcde",
      creationTimestamp: overrides.created ?? ago(120_000),
      ...(overrides.deleting ? { deletionTimestamp: now } : {}),
      ...(overrides.ownerJob
        ? {
            ownerReferences: [
              { apiVersion: "batch/v1", kind: "Job", controller: true, ...overrides.ownerJob },
            ],
          }
        : {}),
    },
    status: {
      phase: overrides.phase ?? "Running",
      conditions: overrides.conditions ?? [],
      containerStatuses: [container("nginx", overrides.nginx), container("php", overrides.php)],
    },
  };
}

describe("podFault", () => {
  it("finds nothing wrong with a running, ready pod", () => {
    expect(podFault(pod(), now)).toEqual({});
  });

  it.each([
    ["ErrImagePull", 'failed to pull and unpack image "sitepod.local/runtime:php8.3": connection refused'],
    ["ImagePullBackOff", 'Back-off pulling image "sitepod.local/runtime:php8.3"'],
    [
      "ErrImageNeverPull",
      'Container image "sitepod.local/runtime:php8.3" is not present with pull policy of Never',
    ],
  ])("reports an image that cannot be pulled (%s) with the kubelet's words", (reason, message) => {
    const check = podFault(
      pod({ phase: "Pending", php: { ready: false, state: { waiting: { reason, message } } } }),
      now,
    );
    expect(check.fault).toEqual({
      reason: "ImagePullFailed",
      message: `Container "php" of pod blog-7c9d-abcde cannot start: its image ${IMAGE} could not be pulled.`,
      evidence: [{ kind: "text", label: "kubelet", text: `${reason}: ${message}` }],
    });
  });

  it("keeps the same message while the kubelet alternates between pull error and back-off", () => {
    const a = podFault(pod({ php: { ready: false, state: { waiting: { reason: "ErrImagePull" } } } }), now);
    const b = podFault(
      pod({ php: { ready: false, state: { waiting: { reason: "ImagePullBackOff" } } } }),
      now,
    );
    expect(a.fault?.message).toBe(b.fault?.message);
  });

  it.each([
    ["CreateContainerConfigError", 'secret "blog-env" not found'],
    ["CreateContainerError", "context deadline exceeded"],
    ["RunContainerError", 'exec: "php-fpm": executable file not found in $PATH'],
  ])("reports a container that cannot start (%s)", (reason, message) => {
    const check = podFault(pod({ php: { ready: false, state: { waiting: { reason, message } } } }), now);
    expect(check.fault).toMatchObject({
      reason: "ContainerStartFailed",
      message: 'Container "php" of pod blog-7c9d-abcde cannot start.',
      evidence: [{ kind: "text", label: "kubelet", text: `${reason}: ${message}` }],
    });
  });

  it("reports a command missing from the image, after the kubelet moved on to back-off, as a start failure", () => {
    const check = podFault(
      pod({
        nginx: {
          ready: false,
          restartCount: 4,
          state: {
            waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container" },
          },
          lastState: {
            terminated: {
              exitCode: 128,
              reason: "StartError",
              message: 'exec: "nginx": executable file not found in $PATH',
            },
          },
        },
      }),
      now,
    );
    expect(check.fault).toMatchObject({
      reason: "ContainerStartFailed",
      evidence: [{ kind: "text", text: 'StartError: exec: "nginx": executable file not found in $PATH' }],
    });
  });

  it("reports a crash loop with the log of the run that crashed", () => {
    const check = podFault(
      pod({
        php: {
          ready: false,
          restartCount: 5,
          state: {
            waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container" },
          },
          lastState: { terminated: { exitCode: 78, reason: "Error" } },
        },
      }),
      now,
    );
    expect(check.fault).toEqual({
      reason: "CrashLoop",
      message:
        'Container "php" of pod blog-7c9d-abcde keeps exiting and being restarted (last exit code 78).',
      evidence: [{ kind: "log", pod: "blog-7c9d-abcde", container: "php", previous: true }],
    });
  });

  it("says so when the crashing container ran out of memory", () => {
    const check = podFault(
      pod({
        php: {
          ready: false,
          restartCount: 2,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } },
        },
      }),
      now,
    );
    expect(check.fault?.message).toContain("ran out of memory");
  });

  it("still counts a container that restarted often as crash-looping in the moment it runs again", () => {
    const restarting = {
      ready: false,
      restartCount: 3,
      state: { running: { startedAt: ago(2_000) } },
      lastState: { terminated: { exitCode: 1, reason: "Error" } },
    };
    expect(podFault(pod({ php: restarting }), now).fault?.reason).toBe("CrashLoop");
    // One restart that recovered is not a loop.
    expect(
      podFault(pod({ php: { ...restarting, restartCount: 1, ready: true } }), now).fault,
    ).toBeUndefined();
  });

  it("waits NOT_READY_AFTER_MS for a running pod to become ready, then reports it with every container's log", () => {
    const young = pod({ nginx: { ready: false, state: { running: { startedAt: ago(30_000) } } } });
    expect(podFault(young, now)).toEqual({ recheckAfterMs: NOT_READY_AFTER_MS - 30_000 });

    const old = pod({ nginx: { ready: false, state: { running: { startedAt: ago(NOT_READY_AFTER_MS) } } } });
    expect(podFault(old, now).fault).toEqual({
      reason: "NotReady",
      message:
        "Pod blog-7c9d-abcde has been running for more than 3 minutes without passing its readiness check (an HTTP request through nginx to PHP).",
      evidence: [
        { kind: "log", pod: "blog-7c9d-abcde", container: "nginx", previous: false },
        { kind: "log", pod: "blog-7c9d-abcde", container: "php", previous: false },
      ],
    });
  });

  it("reads start times whether the informer parsed them (list) or not (watch events)", () => {
    const asString = pod({
      nginx: {
        ready: false,
        state: { running: { startedAt: ago(NOT_READY_AFTER_MS + 1).toISOString() as unknown as Date } },
      },
    });
    expect(podFault(asString, now).fault?.reason).toBe("NotReady");
    expect(timeOf("not a date")).toBeUndefined();
    expect(timeOf(undefined)).toBeUndefined();
  });

  it("reports a pod the scheduler cannot place, after a grace period, with the scheduler's words", () => {
    const unschedulable = (since: Date) =>
      pod({
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint.",
            lastTransitionTime: since,
          },
        ],
      });
    expect(podFault(unschedulable(ago(10_000)), now)).toEqual({
      recheckAfterMs: UNSCHEDULABLE_AFTER_MS - 10_000,
    });
    expect(podFault(unschedulable(ago(UNSCHEDULABLE_AFTER_MS)), now).fault).toMatchObject({
      reason: "Unschedulable",
      evidence: [{ kind: "text", label: "scheduler", text: expect.stringContaining("Insufficient cpu") }],
    });
  });

  it("puts the most fundamental fault first: an image before a probe", () => {
    const check = podFault(
      pod({
        nginx: { ready: false, state: { running: { startedAt: ago(NOT_READY_AFTER_MS * 2) } } },
        php: { ready: false, state: { waiting: { reason: "ErrImageNeverPull" } } },
      }),
      now,
    );
    expect(check.fault?.reason).toBe("ImagePullFailed");
  });
});

describe("podsFault", () => {
  it("ignores terminating pods, reports the oldest faulty one, and keeps the soonest recheck", () => {
    const crashing = {
      ready: false,
      restartCount: 4,
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { exitCode: 1 } },
    };
    expect(podsFault([pod({ php: crashing, deleting: true })], now)).toEqual({});
    const pods = [
      pod({ name: "new", created: ago(10_000), php: crashing }),
      pod({ name: "old", created: ago(50_000), php: crashing }),
    ];
    expect(podsFault(pods, now).fault?.message).toContain("pod old");
    const slow = [
      pod({ name: "a", nginx: { ready: false, state: { running: { startedAt: ago(60_000) } } } }),
      pod({ name: "b", nginx: { ready: false, state: { running: { startedAt: ago(90_000) } } } }),
    ];
    expect(podsFault(slow, now)).toEqual({ recheckAfterMs: NOT_READY_AFTER_MS - 90_000 });
  });
});

describe("installJobState", () => {
  const jobMeta = { name: "blog-install-1", uid: "job-uid-1" };
  function job(conditions: NonNullable<V1Job["status"]>["conditions"] = []): V1Job {
    return { metadata: { ...jobMeta }, status: { conditions } };
  }
  const installPod = (name: string, created: Date, overrides: Partial<V1ContainerStatus> = {}): V1Pod => ({
    metadata: {
      name,
      creationTimestamp: created,
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", controller: true, ...jobMeta }],
    },
    status: { phase: "Running", containerStatuses: [container("install", overrides)] },
  });

  it("is pending until the Job is in the cache, running while it runs", () => {
    expect(installJobState(undefined, [], "install", now)).toEqual({ state: "pending" });
    expect(installJobState(job(), [installPod("p1", ago(5_000))], "install", now)).toEqual({
      state: "running",
    });
  });

  it("succeeds with the Job's Complete condition", () => {
    expect(installJobState(job([{ type: "Complete", status: "True" }]), [], "install", now)).toEqual({
      state: "succeeded",
    });
  });

  it("fails with the Job's Failed condition, naming the Job and pointing at its newest pod's log", () => {
    const failed = job([
      {
        type: "Failed",
        status: "True",
        reason: "BackoffLimitExceeded",
        message: "Job has reached the specified backoff limit",
        lastTransitionTime: ago(30_000),
      },
    ]);
    const pods = [
      installPod("blog-install-1-aaaaa", ago(300_000)),
      installPod("blog-install-1-ccccc", ago(60_000)),
      installPod("blog-install-1-bbbbb", ago(200_000)),
      // Another Job's pod is not this Job's evidence.
      { ...installPod("blog-install-0-zzzzz", ago(1_000)), metadata: { name: "blog-install-0-zzzzz" } },
    ];
    expect(installJobState(failed, pods, "install", now)).toEqual({
      state: "failed",
      failedAt: ago(30_000).getTime(),
      fault: {
        reason: "InstallFailed",
        message:
          "Installing WordPress failed (Job blog-install-1, BackoffLimitExceeded: Job has reached the specified backoff limit).",
        evidence: [{ kind: "log", pod: "blog-install-1-ccccc", container: "install", previous: false }],
      },
    });
  });

  it("says so when the failed Job's pods, and their logs, are gone", () => {
    const failed = job([{ type: "Failed", status: "True", reason: "DeadlineExceeded" }]);
    expect(installJobState(failed, [], "install", now)).toMatchObject({
      state: "failed",
      fault: { evidence: [{ kind: "text", label: "job" }] },
    });
  });

  it("gives the install its run time from its pod's start, not from the Job's creation", () => {
    const created = { ...job(), metadata: { ...jobMeta, creationTimestamp: ago(3_600_000) } };
    // An hour without a node or a volume is a wait, not a failed install.
    const waiting: V1Pod = {
      ...installPod("blog-install-1-aaaaa", ago(3_600_000)),
      status: { phase: "Pending" },
    };
    expect(installJobState(created, [waiting], "install", now)).toEqual({ state: "running" });
    const started = (name: string, startedAgoMs: number, createdAgoMs = 3_600_000): V1Pod => {
      const p = installPod(name, ago(createdAgoMs));
      return { ...p, status: { ...p.status, startTime: ago(startedAgoMs) } };
    };
    // Started nine minutes ago: looked at again when its time is up.
    expect(installJobState(created, [started("blog-install-1-aaaaa", 540_000)], "install", now)).toEqual({
      state: "running",
      recheckAfterMs: INSTALL_RUN_LIMIT_MS - 540_000,
    });
    // The time counts from the Job's first pod that started, across its retries.
    const pods = [
      started("blog-install-1-aaaaa", INSTALL_RUN_LIMIT_MS + 5_000),
      started("blog-install-1-bbbbb", 1_000, 2_000),
    ];
    expect(installJobState(created, pods, "install", now)).toEqual({
      state: "failed",
      failedAt: ago(5_000).getTime(),
      fault: {
        reason: "InstallFailed",
        message: "Installing WordPress did not finish within 10 minutes of starting (Job blog-install-1).",
        evidence: [{ kind: "log", pod: "blog-install-1-bbbbb", container: "install", previous: false }],
      },
    });
  });

  it("takes a pod that succeeded as the install done before the Job controller records it", () => {
    // At 5,000 sites the Job controller recorded a succeeded pod more than ten minutes late; the
    // run limit then "failed" 248 installs that had finished.
    const created = { ...job(), metadata: { ...jobMeta, creationTimestamp: ago(3_600_000) } };
    const base = installPod("blog-install-1-aaaaa", ago(3_600_000));
    const succeeded: V1Pod = {
      ...base,
      status: { ...base.status, phase: "Succeeded", startTime: ago(INSTALL_RUN_LIMIT_MS + 60_000) },
    };
    expect(installJobState(created, [succeeded], "install", now)).toEqual({ state: "succeeded" });
    // A failed pod is not the install done: the Job's retries and its limit decide.
    const failedPod: V1Pod = { ...succeeded, status: { ...succeeded.status, phase: "Failed" } };
    expect(installJobState(created, [failedPod], "install", now)).toMatchObject({ state: "failed" });
  });

  it("reports at once an install whose pod cannot even start, instead of waiting for the deadline", () => {
    const stuck = installPod("blog-install-1-aaaaa", ago(20_000), {
      ready: false,
      state: { waiting: { reason: "ErrImageNeverPull", message: "not present" } },
    });
    expect(installJobState(job(), [stuck], "install", now)).toMatchObject({
      state: "running",
      fault: { reason: "ImagePullFailed" },
    });
  });
});

describe("installPodCheckInMs", () => {
  it("looks for why an install Job has no pod only once it has had time to make one", () => {
    const job = (createdAgoMs: number) => ({ metadata: { creationTimestamp: ago(createdAgoMs) } });
    expect(installPodCheckInMs(job(0), now)).toBe(INSTALL_POD_GRACE_MS);
    expect(installPodCheckInMs(job(2_000), now)).toBe(INSTALL_POD_GRACE_MS - 2_000);
    expect(installPodCheckInMs(job(INSTALL_POD_GRACE_MS), now)).toBe(0);
    expect(installPodCheckInMs(job(60_000), now)).toBe(0);
    // No creation time to go by: look now.
    expect(installPodCheckInMs({ metadata: {} }, now)).toBe(0);
  });
});

describe("installRetryDelayMs", () => {
  it("doubles from two minutes and stops at an hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((g) => installRetryDelayMs(g) / 60_000)).toEqual([
      2, 4, 8, 16, 32, 60, 60, 60,
    ]);
  });
});

describe("evidence", () => {
  it("redacts every secret value, longest first, and leaves short values alone", () => {
    const text = "connect as sp_blog with pw s3cr3t-pw-123 (prefix s3cr3t-pw) key ab";
    expect(redact(text, ["s3cr3t-pw", "s3cr3t-pw-123", "ab"])).toBe(
      "connect as sp_blog with pw [redacted] (prefix [redacted]) key ab",
    );
  });

  it("keeps the last lines, each cut to a readable length", () => {
    const log = `${Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n")}\n`;
    expect(lastLines(log)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 11}`));
    expect(lastLines("x".repeat(1000))[0]).toHaveLength(301);
  });

  it("formats each source under a header, redacted, and bounds the whole from the start", () => {
    const text = formatEvidence(
      [
        { title: "container php (previous run)", text: "PHP Fatal error: password hunter2-secret\n" },
        { title: "kubelet", text: "" },
      ],
      ["hunter2-secret"],
    );
    expect(text).toBe(
      "==> container php (previous run) <==\nPHP Fatal error: password [redacted]\n\n==> kubelet <==\n(no output)",
    );
    const huge = formatEvidence(
      Array.from({ length: 10 }, (_, i) => ({
        title: `c${i}`,
        text: "y".repeat(299).concat("\n").repeat(20),
      })),
      [],
    );
    expect(huge.length).toBe(LOG_MAX_CHARS);
    expect(huge.startsWith("…")).toBe(true);
    expect(huge.endsWith("y")).toBe(true);
  });
});
