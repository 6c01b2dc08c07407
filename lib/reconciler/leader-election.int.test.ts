import { createServer, type Server, type Socket, connect } from "node:net";
import { CoordinationV1Api, KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { log } from "@/lib/log";
import { useNamespace } from "@/tests/helpers/cluster";
import { type LeaderElector, startLeaderElection } from "./leader-election";
import { eventually } from "./test-support";

/**
 * A TCP relay to the API server on a loopback port of its own, for one candidate's kubeconfig;
 * cut() refuses and drops its connections, as a network partition between that candidate and the
 * API server would (TLS passes through: the server's certificate names 127.0.0.1).
 */
async function relayTo(kc: KubeConfig): Promise<{ kc: KubeConfig; cut: () => Promise<void> }> {
  const target = new URL(kc.getCurrentCluster()?.server ?? "");
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const relayed = new KubeConfig();
  relayed.loadFromOptions({
    clusters: kc.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${port}` })),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return {
    kc: relayed,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe("leader election", () => {
  const ns = useNamespace("le");

  const readLease = () =>
    ns.kc
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: "sitepod-reconciler", namespace: ns.name });

  type Events = { what: string; at: number }[];
  const named = (events: Events) => events.map((e) => e.what);

  /** A candidate for the namespace's lease (200 ms rounds) that records when it starts and stops leading. */
  function candidate(
    identity: string,
    events: Events,
    {
      kubeConfig = ns.kc,
      leaseDurationSeconds = 3,
      starting,
    }: { kubeConfig?: KubeConfig; leaseDurationSeconds?: number; starting?: () => Promise<void> } = {},
  ): LeaderElector {
    return startLeaderElection({
      kubeConfig,
      namespace: ns.name,
      name: "sitepod-reconciler",
      identity,
      log: log.child({ identity }),
      leaseDurationSeconds,
      retryIntervalMs: 200,
      onStartedLeading: () => {
        events.push({ what: `${identity} started`, at: Date.now() });
        return starting?.();
      },
      onStoppedLeading: () => {
        events.push({ what: `${identity} stopped`, at: Date.now() });
      },
    });
  }

  it("elects exactly one of two candidates and hands over when the leader stops", async () => {
    const events: Events = [];
    const a = candidate("a", events);
    const b = candidate("b", events);
    try {
      const first = await eventually(
        "a leader",
        () => (a.isLeader() ? a : b.isLeader() ? b : undefined),
        20_000,
      );
      const other = first === a ? b : a;
      // Several renewal rounds later there is still exactly one leader.
      const lease = await eventually("lease renewed by the leader", async () => {
        const l = await readLease();
        return l.spec?.holderIdentity === (first === a ? "a" : "b") ? l : undefined;
      });
      expect(lease.spec?.leaseDurationSeconds).toBe(3);
      expect(a.isLeader() && b.isLeader()).toBe(false);
      expect(other.isLeader()).toBe(false);

      await first.stop();
      await eventually("the other candidate leads", () => (other.isLeader() ? true : undefined), 20_000);
      expect(named(events)).toEqual([
        `${first === a ? "a" : "b"} started`,
        `${first === a ? "b" : "a"} started`,
      ]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("keeps renewing the lease while the leader is still starting, so no other candidate takes it", async () => {
    const events: Events = [];
    let started: () => void = () => undefined;
    // a's start takes longer than the lease lasts (a reconciler listing thousands of objects).
    const a = candidate("a", events, {
      leaseDurationSeconds: 2,
      starting: () =>
        new Promise<void>((resolve) => {
          started = resolve;
        }),
    });
    let b: LeaderElector | undefined;
    try {
      await eventually("a leads", () => (a.isLeader() ? true : undefined), 20_000);
      b = candidate("b", events, { leaseDurationSeconds: 2 });
      // Three lease durations after a took it, a still holds it, renewed all along.
      const lease = await eventually("the lease renewed for three lease durations", async () => {
        const l = await readLease();
        const held = Date.parse(String(l.spec?.renewTime)) - Date.parse(String(l.spec?.acquireTime));
        return l.spec?.holderIdentity !== "a" || held > 6_000 ? l : undefined;
      });
      expect(lease.spec?.holderIdentity).toBe("a");
      expect(a.isLeader()).toBe(true);
      expect(b.isLeader()).toBe(false);
      started();
      expect(named(events)).toEqual(["a started"]);
    } finally {
      started();
      await Promise.all([a.stop(), b?.stop()]);
    }
  });

  it("stops leading when it cannot renew within the renew deadline, before another candidate may take over", async () => {
    const events: Events = [];
    const relay = await relayTo(ns.kc);
    const a = candidate("a", events, { kubeConfig: relay.kc });
    let b: LeaderElector | undefined;
    try {
      await eventually("a leads", () => (a.isLeader() ? true : undefined), 20_000);
      b = candidate("b", events);
      // a is cut off from the API server: its renewals fail from now on.
      await relay.cut();
      await eventually("b leads", () => (b?.isLeader() ? true : undefined), 20_000);
      expect(a.isLeader()).toBe(false);
      expect(named(events)).toEqual(["a started", "a stopped", "b started"]);
      // a stopped two thirds into the lease; b could only take it once the lease had expired.
      const [, aStopped, bStarted] = events;
      expect((bStarted?.at ?? 0) - (aStopped?.at ?? 0)).toBeGreaterThanOrEqual(500);
    } finally {
      await Promise.all([a.stop(), b?.stop()]);
      await relay.cut().catch(() => undefined);
    }
  });
});
