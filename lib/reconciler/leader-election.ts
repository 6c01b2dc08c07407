import { CoordinationV1Api, type KubeConfig, type V1Lease } from "@kubernetes/client-node";
import { apiStatusCode } from "@/lib/k8s/errors";
import type { Logger } from "@/lib/log";

/**
 * Lease-based leader election (coordination.k8s.io/v1), as client-go's leaderelection does it:
 * the holder renews `renewTime`; another candidate takes the lease only once it has not been
 * renewed for `leaseDurationSeconds`. Updates carry the resourceVersion they read, so two
 * candidates can never both win the same round.
 */
export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  name: string;
  identity: string;
  log: Logger;
  leaseDurationSeconds?: number;
  /** How often the holder renews and candidates retry. */
  retryIntervalMs?: number;
  onStartedLeading: () => void | Promise<void>;
  /** Called when leadership is lost (not on stop()). The process should stop writing at once. */
  onStoppedLeading: () => void | Promise<void>;
}

export interface LeaderElector {
  isLeader(): boolean;
  /** Stops campaigning; a holder releases the lease so another candidate takes over at once. */
  stop(): Promise<void>;
}

/**
 * MicroTime must carry six fractional digits (Go's RFC3339Micro); client-node passes strings
 * for it through unchanged, while a Date would be sent with three and rejected.
 */
function microTime(date: Date): Date {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z") as unknown as Date;
}

function timeOf(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string") return Date.parse(value);
  return 0;
}

export function startLeaderElection(options: LeaderElectionOptions): LeaderElector {
  const api = options.kubeConfig.makeApiClient(CoordinationV1Api);
  const { namespace, name, identity, log } = options;
  const leaseDurationSeconds = options.leaseDurationSeconds ?? 15;
  const retryIntervalMs = options.retryIntervalMs ?? 2_000;
  let leader = false;
  let lastRenewed = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;

  function spec(previous?: V1Lease): V1Lease["spec"] {
    const now = microTime(new Date());
    const takingOver = previous?.spec?.holderIdentity !== identity;
    return {
      holderIdentity: identity,
      leaseDurationSeconds,
      renewTime: now,
      acquireTime: takingOver ? now : previous?.spec?.acquireTime,
      leaseTransitions: (previous?.spec?.leaseTransitions ?? 0) + (takingOver && previous ? 1 : 0),
    };
  }

  /** One attempt to acquire or renew; true when we hold the lease afterwards. */
  async function tryAcquireOrRenew(): Promise<boolean> {
    let current: V1Lease;
    try {
      current = await api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (apiStatusCode(err) !== 404) throw err;
      try {
        await api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: spec() } });
        return true;
      } catch (createErr) {
        if (apiStatusCode(createErr) === 409) return false;
        throw createErr;
      }
    }
    const holder = current.spec?.holderIdentity;
    const expiresAt =
      timeOf(current.spec?.renewTime) + (current.spec?.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    if (holder && holder !== identity && Date.now() < expiresAt) return false;
    try {
      await api.replaceNamespacedLease({
        name,
        namespace,
        body: { metadata: { ...current.metadata, name, namespace }, spec: spec(current) },
      });
      return true;
    } catch (err) {
      if (apiStatusCode(err) === 409) return false;
      throw err;
    }
  }

  async function runRound(): Promise<void> {
    let holding = false;
    try {
      holding = await tryAcquireOrRenew();
    } catch (err) {
      log.warn("lease update failed", { lease: `${namespace}/${name}`, err });
      // Keep leading only while the last renewal is still within the lease duration.
      holding = leader && Date.now() - lastRenewed < leaseDurationSeconds * 1000;
    }
    if (stopped) return;
    if (holding) {
      lastRenewed = Date.now();
      if (!leader) {
        leader = true;
        log.info("became leader", { lease: `${namespace}/${name}`, identity });
        await options.onStartedLeading();
      }
    } else if (leader) {
      leader = false;
      log.warn("lost leadership", { lease: `${namespace}/${name}`, identity });
      await options.onStoppedLeading();
    }
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      round = runRound()
        .catch((err: unknown) => log.error("leader election round failed", { err }))
        .finally(() => schedule(retryIntervalMs));
    }, delayMs);
  }
  schedule(0);

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
      if (!leader) return;
      leader = false;
      try {
        const current = await api.readNamespacedLease({ name, namespace });
        if (current.spec?.holderIdentity !== identity) return;
        await api.replaceNamespacedLease({
          name,
          namespace,
          body: {
            metadata: { ...current.metadata, name, namespace },
            // An expired lease without holder: the next candidate takes it on its next try.
            spec: {
              ...current.spec,
              holderIdentity: "",
              renewTime: microTime(new Date(0)),
              leaseDurationSeconds: 1,
            },
          },
        });
      } catch (err) {
        log.warn("lease release failed", { err });
      }
    },
  };
}
