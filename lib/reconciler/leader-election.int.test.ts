import { CoordinationV1Api } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { log } from "@/lib/log";
import { useNamespace } from "@/tests/helpers/cluster";
import { type LeaderElector, startLeaderElection } from "./leader-election";
import { eventually } from "./test-support";

describe("leader election", () => {
  const ns = useNamespace("le");

  it("elects exactly one of two candidates and hands over when the leader stops", async () => {
    const events: string[] = [];
    const candidate = (identity: string): LeaderElector =>
      startLeaderElection({
        kubeConfig: ns.kc,
        namespace: ns.name,
        name: "sitepod-reconciler",
        identity,
        log: log.child({ identity }),
        leaseDurationSeconds: 3,
        retryIntervalMs: 200,
        onStartedLeading: () => {
          events.push(`${identity} started`);
        },
        onStoppedLeading: () => {
          events.push(`${identity} stopped`);
        },
      });
    const a = candidate("a");
    const b = candidate("b");
    try {
      const first = await eventually(
        "a leader",
        () => (a.isLeader() ? a : b.isLeader() ? b : undefined),
        20_000,
      );
      const other = first === a ? b : a;
      // Several renewal rounds later there is still exactly one leader.
      const lease = await eventually("lease renewed by the leader", async () => {
        const l = await ns.kc
          .makeApiClient(CoordinationV1Api)
          .readNamespacedLease({ name: "sitepod-reconciler", namespace: ns.name });
        return l.spec?.holderIdentity === (first === a ? "a" : "b") ? l : undefined;
      });
      expect(lease.spec?.leaseDurationSeconds).toBe(3);
      expect(a.isLeader() && b.isLeader()).toBe(false);
      expect(other.isLeader()).toBe(false);

      await first.stop();
      await eventually("the other candidate leads", () => (other.isLeader() ? true : undefined), 20_000);
      expect(events).toEqual([`${first === a ? "a" : "b"} started`, `${first === a ? "b" : "a"} started`]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
