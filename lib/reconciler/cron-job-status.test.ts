import type { V1CronJob, V1Job, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { cronJobConditions, latestFinished, observeRuns, toRun } from "./cron-job-status";

function job(
  name: string,
  startTime: string,
  condition?: { type: "Complete" | "Failed"; reason?: string; at: string },
): V1Job {
  return {
    metadata: { name, uid: `uid-${name}`, creationTimestamp: new Date(startTime) },
    status: {
      startTime: new Date(startTime),
      ...(condition?.type === "Complete" ? { completionTime: new Date(condition.at) } : {}),
      conditions: condition
        ? [
            {
              type: condition.type,
              status: "True",
              reason: condition.reason,
              lastTransitionTime: new Date(condition.at),
            },
          ]
        : [],
    },
  };
}

function pod(
  jobName: string,
  state: { terminated?: { exitCode: number; reason?: string }; waiting?: { reason: string } },
): V1Pod {
  return {
    metadata: {
      name: `${jobName}-abcde`,
      creationTimestamp: new Date("2026-11-30T03:00:01Z"),
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: jobName, uid: `uid-${jobName}` }],
    },
    status: {
      containerStatuses: [
        {
          name: "cron",
          image: "x",
          imageID: "",
          ready: false,
          restartCount: 0,
          state: state.terminated
            ? { terminated: { exitCode: state.terminated.exitCode, reason: state.terminated.reason } }
            : { waiting: state.waiting },
        },
      ],
    },
  };
}

describe("observeRuns", () => {
  it("lists runs newest first with their outcome, times and the command's exit code", () => {
    const ok = job("cron-x-1", "2026-11-30T02:00:00Z", { type: "Complete", at: "2026-11-30T02:00:05Z" });
    const bad = job("cron-x-2", "2026-11-30T03:00:00Z", {
      type: "Failed",
      reason: "BackoffLimitExceeded",
      at: "2026-11-30T03:00:09Z",
    });
    const running = job("cron-x-3", "2026-11-30T04:00:00Z");
    const runs = observeRuns(
      [ok, bad, running],
      [
        pod("cron-x-1", { terminated: { exitCode: 0, reason: "Completed" } }),
        pod("cron-x-2", { terminated: { exitCode: 3, reason: "Error" } }),
        pod("cron-x-3", { waiting: { reason: "ContainerCreating" } }),
      ],
      "cron",
    );
    expect(runs).toEqual([
      {
        name: "cron-x-3",
        status: "Running",
        startedAt: "2026-11-30T04:00:00.000Z",
        finishedAt: null,
        exitCode: null,
        reason: null,
      },
      {
        name: "cron-x-2",
        status: "Failed",
        startedAt: "2026-11-30T03:00:00.000Z",
        finishedAt: "2026-11-30T03:00:09.000Z",
        exitCode: 3,
        reason: "BackoffLimitExceeded",
      },
      {
        name: "cron-x-1",
        status: "Succeeded",
        startedAt: "2026-11-30T02:00:00.000Z",
        finishedAt: "2026-11-30T02:00:05.000Z",
        exitCode: 0,
        reason: null,
      },
    ]);
    expect(latestFinished(runs)?.name).toBe("cron-x-2");
  });

  it("says why a run failed in the container's words when they say more, and keeps a timeout as such", () => {
    const oom = job("a", "2026-11-30T03:00:00Z", {
      type: "Failed",
      reason: "BackoffLimitExceeded",
      at: "2026-11-30T03:01:00Z",
    });
    expect(
      toRun(oom, [pod("a", { terminated: { exitCode: 137, reason: "OOMKilled" } })], "cron"),
    ).toMatchObject({
      exitCode: 137,
      reason: "OOMKilled",
    });
    const slow = job("b", "2026-11-30T03:00:00Z", {
      type: "Failed",
      reason: "DeadlineExceeded",
      at: "2026-11-30T04:00:00Z",
    });
    expect(toRun(slow, [], "cron")).toMatchObject({
      status: "Failed",
      exitCode: null,
      reason: "DeadlineExceeded",
    });
    const stuck = job("c", "2026-11-30T03:00:00Z");
    expect(toRun(stuck, [pod("c", { waiting: { reason: "ImagePullBackOff" } })], "cron")).toMatchObject({
      status: "Running",
      reason: "ImagePullBackOff",
    });
  });
});

describe("cronJobConditions", () => {
  const cronJob = { metadata: { name: "cron-x" } } as V1CronJob;
  const succeeded = {
    name: "r1",
    status: "Succeeded" as const,
    startedAt: null,
    finishedAt: null,
    exitCode: 0,
    reason: null,
  };
  const failed = { ...succeeded, name: "r2", status: "Failed" as const, exitCode: 2 };

  it("is Ready once the CronJob exists, paused or scheduled; not while the account is suspended", () => {
    const ready = (o: Partial<Parameters<typeof cronJobConditions>[0]>) =>
      cronJobConditions({ cronJob, enabled: true, accountSuspended: false, runs: [], ...o })[0];
    expect(ready({ cronJob: undefined })).toMatchObject({ status: "False", reason: "Pending" });
    expect(ready({})).toMatchObject({ status: "True", reason: "Scheduled" });
    expect(ready({ enabled: false })).toMatchObject({ status: "True", reason: "Paused" });
    expect(ready({ accountSuspended: true })).toMatchObject({ status: "False", reason: "AccountSuspended" });
  });

  it("is Degraded while the newest finished run failed, with its exit code, until one succeeds", () => {
    const degraded = (runs: Parameters<typeof cronJobConditions>[0]["runs"]) =>
      cronJobConditions({ cronJob, enabled: true, accountSuspended: false, runs })[1];
    expect(degraded([])).toMatchObject({ status: "False", reason: "NoRunsYet" });
    expect(degraded([failed, succeeded])).toEqual({
      type: "Degraded",
      status: "True",
      reason: "RunFailed",
      message: "The last run (r2) failed: exit code 2.",
    });
    expect(degraded([{ ...failed, exitCode: null, reason: "DeadlineExceeded" }])).toMatchObject({
      message: "The last run (r2) failed: stopped after the maximum run time.",
    });
    expect(degraded([succeeded, failed])).toMatchObject({ status: "False", reason: "LastRunSucceeded" });
    // A run in progress does not hide the last outcome...
    const running = { ...succeeded, name: "r3", status: "Running" as const, exitCode: null };
    expect(degraded([running, failed])).toMatchObject({ status: "True", reason: "RunFailed" });
    // ...unless it cannot start at all.
    expect(degraded([{ ...running, reason: "ErrImagePull" }, succeeded])).toMatchObject({
      status: "True",
      reason: "RunCannotStart",
      message: "The current run (r3) cannot start: ErrImagePull.",
    });
  });
});
