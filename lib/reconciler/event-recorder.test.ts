import type { KubernetesObject, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { ACCOUNT_LABEL, COMPONENT_LABEL, CRON_JOB_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import {
  type KubeEvent,
  type RecordedEvent,
  requeueUnwritten,
  restartsOf,
  toRecordedEvent,
} from "./event-recorder";

const labels = { [SITE_LABEL]: "site1", [ACCOUNT_LABEL]: "acct1" };
const objects: Record<string, KubernetesObject> = {
  "Deployment sp-acme/blog": { metadata: { name: "blog", namespace: "sp-acme", labels } },
  "Pod sp-acme/blog-6d4f9-x2x": { metadata: { name: "blog-6d4f9-x2x", namespace: "sp-acme", labels } },
  "Deployment sp-acme/other": { metadata: { name: "other", namespace: "sp-acme", labels: {} } },
  "CronJob sp-acme/blog-wp-cron": {
    metadata: {
      name: "blog-wp-cron",
      namespace: "sp-acme",
      labels: { ...labels, [COMPONENT_LABEL]: "wp-cron" },
    },
  },
  "Pod sp-acme/cron-c1-2940-x": {
    metadata: { name: "cron-c1-2940-x", namespace: "sp-acme", labels: { ...labels, [CRON_JOB_LABEL]: "c1" } },
  },
};
const observed = {
  get: (kind: string, name: string, namespace?: string) => objects[`${kind} ${namespace}/${name}`],
};
const now = new Date("2026-11-30T12:00:00Z");

const event = (over: Partial<KubeEvent>): KubeEvent => ({
  metadata: { uid: "e1", namespace: "sp-acme" },
  involvedObject: { kind: "Pod", name: "blog-6d4f9-x2x", namespace: "sp-acme" },
  reason: "Unhealthy",
  message: "Readiness probe failed: HTTP probe failed with statuscode: 500",
  type: "Warning",
  count: 4,
  firstTimestamp: "2026-11-30T11:50:00Z",
  lastTimestamp: "2026-11-30T11:59:00Z",
  ...over,
});

describe("recording Kubernetes events into site timelines", () => {
  it("records an event of a site's pod with its count and times", () => {
    expect(toRecordedEvent(event({}), observed, "sp-", now)).toEqual({
      uid: "e1",
      siteId: "site1",
      accountId: "acct1",
      object: "Pod/blog-6d4f9-x2x",
      type: "Warning",
      reason: "Unhealthy",
      message: "Readiness probe failed: HTTP probe failed with statuscode: 500",
      count: 4,
      firstSeenAt: new Date("2026-11-30T11:50:00Z"),
      lastSeenAt: new Date("2026-11-30T11:59:00Z"),
    });
  });

  it("keeps only the warnings of a cron job's runs", () => {
    const run = (type: string, reason: string) =>
      event({ involvedObject: { kind: "Pod", name: "cron-c1-2940-x", namespace: "sp-acme" }, type, reason });
    expect(toRecordedEvent(run("Normal", "Pulled"), observed, "sp-", now)).toBeUndefined();
    expect(toRecordedEvent(run("Warning", "BackOff"), observed, "sp-", now)).toMatchObject({
      siteId: "site1",
      reason: "BackOff",
      object: "Pod/cron-c1-2940-x",
    });
  });

  it("keeps only the warnings of WordPress's wp-cron, which runs every five minutes", () => {
    const wpCron = (type: string, reason: string, message: string) =>
      event({
        involvedObject: { kind: "CronJob", name: "blog-wp-cron", namespace: "sp-acme" },
        type,
        reason,
        message,
      });
    for (const [reason, message] of [
      ["SuccessfulCreate", "Created job blog-wp-cron-29409120"],
      ["SawCompletedJob", "Saw completed job: blog-wp-cron-29409120, condition: Complete"],
      ["SuccessfulDelete", "Deleted job blog-wp-cron-29409115"],
    ] as const) {
      expect(toRecordedEvent(wpCron("Normal", reason, message), observed, "sp-", now)).toBeUndefined();
    }
    expect(
      toRecordedEvent(
        wpCron("Warning", "TooManyMissedTimes", "too many missed start times"),
        observed,
        "sp-",
        now,
      ),
    ).toMatchObject({ siteId: "site1", reason: "TooManyMissedTimes", object: "CronJob/blog-wp-cron" });
  });

  it("gives a ReplicaSet's events to its Deployment's site", () => {
    const rs = event({
      involvedObject: { kind: "ReplicaSet", name: "blog-6d4f9", namespace: "sp-acme" },
      reason: "FailedCreate",
    });
    expect(toRecordedEvent(rs, observed, "sp-", now)).toMatchObject({
      siteId: "site1",
      object: "ReplicaSet/blog-6d4f9",
    });
  });

  it("ignores other namespaces, objects of no site, unknown objects and unwatched kinds", () => {
    const elsewhere = { namespace: "kube-system" };
    expect(
      toRecordedEvent(
        event({
          involvedObject: { kind: "Pod", name: "blog-6d4f9-x2x", ...elsewhere },
          metadata: { uid: "e2", ...elsewhere },
        }),
        observed,
        "sp-",
        now,
      ),
    ).toBeUndefined();
    expect(
      toRecordedEvent(
        event({ involvedObject: { kind: "Deployment", name: "other", namespace: "sp-acme" } }),
        observed,
        "sp-",
        now,
      ),
    ).toBeUndefined();
    expect(
      toRecordedEvent(
        event({ involvedObject: { kind: "Pod", name: "gone", namespace: "sp-acme" } }),
        observed,
        "sp-",
        now,
      ),
    ).toBeUndefined();
    expect(
      toRecordedEvent(
        event({ involvedObject: { kind: "Node", name: "n1", namespace: "sp-acme" } }),
        observed,
        "sp-",
        now,
      ),
    ).toBeUndefined();
  });

  it("reads an OOM kill and a crash from pod status, once per restart", () => {
    const pod: V1Pod = {
      metadata: { name: "blog-6d4f9-x2x", namespace: "sp-acme", uid: "p1", labels },
      status: {
        containerStatuses: [
          {
            name: "php",
            image: "i",
            imageID: "",
            ready: true,
            restartCount: 2,
            lastState: {
              terminated: {
                exitCode: 137,
                reason: "OOMKilled",
                finishedAt: new Date("2026-11-30T11:58:00Z"),
              },
            },
          },
          {
            name: "nginx",
            image: "i",
            imageID: "",
            ready: true,
            restartCount: 1,
            lastState: { terminated: { exitCode: 1, reason: "Error" } },
          },
          { name: "fine", image: "i", imageID: "", ready: true, restartCount: 0 },
        ],
      },
    };
    const restarts = restartsOf(pod, "sp-", now);
    expect(restarts.map((r) => [r.uid, r.reason])).toEqual([
      ["restart/p1/php/2", "OOMKilled"],
      ["restart/p1/nginx/1", "ContainerRestarted"],
    ]);
    expect(restarts[0]?.message).toMatch(/ran out of memory.*Give the site more memory/);
    expect(restarts[1]?.message).toBe(
      "Container nginx exited with code 1 (Error) and was restarted (restart 1).",
    );
    expect(restarts[0]?.lastSeenAt).toEqual(new Date("2026-11-30T11:58:00Z"));
  });
});

describe("a batch of events the database did not take", () => {
  const recorded = (uid: string, count = 1): RecordedEvent => ({
    uid,
    siteId: "site1",
    accountId: "acct1",
    type: "Warning",
    reason: "BackOff",
    object: "Pod/blog",
    message: "Back-off restarting failed container",
    count,
    firstSeenAt: now,
    lastSeenAt: now,
  });

  it("goes back into the buffer, behind newer copies of the same events and within its size", () => {
    const buffer = new Map([["e2", recorded("e2", 7)]]);
    const requeued = requeueUnwritten(
      buffer,
      [recorded("e1"), recorded("e2", 5), recorded("e3"), recorded("e4")],
      3,
    );
    expect(requeued).toBe(2);
    expect([...buffer.values()].map((e) => [e.uid, e.count])).toEqual([
      ["e2", 7],
      ["e1", 1],
      ["e3", 1],
    ]);
  });
});
