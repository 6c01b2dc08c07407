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
  /**
   * How long the holder keeps leading without a successful renewal, counted from when that
   * renewal began: shorter than the lease, so that it has stopped before another candidate may
   * take the lease (client-go's renewDeadline). Default two thirds of the lease.
   */
  renewDeadlineMs?: number;
  /** How often the holder renews and candidates retry. */
  retryIntervalMs?: number;
  /**
   * Called when this candidate takes the lease. Renewals go on while it runs (a reconciler that
   * takes longer than the lease to start must not lose it meanwhile).
   */
  onStartedLeading: () => void | Promise<void>;
  /**
   * Called once when leadership is lost (not on stop()): another candidate holds the lease, or no
   * renewal succeeded within the renew deadline. The process should stop writing at once; the
   * elector campaigns no more.
   */
  onStoppedLeading: () => void | Promise<void>;
}

export interface LeaderElector {
  /** Holding the lease, renewed within the renew deadline. */
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
  const renewDeadlineMs = options.renewDeadlineMs ?? Math.floor((leaseDurationSeconds * 1000 * 2) / 3);
  if (renewDeadlineMs >= leaseDurationSeconds * 1000) {
    throw new Error("the renew deadline must be shorter than the lease duration");
  }
  const retryIntervalMs = options.retryIntervalMs ?? 2_000;
  const lease = `${namespace}/${name}`;
  const notRenewed = `the lease was not renewed within ${renewDeadlineMs} ms`;
  let leader = false;
  /** When the last successful renewal began: the lease's renewTime is no earlier than this. */
  let renewedAt = 0;
  /** Stopped, or lost the lease: no more rounds. */
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
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

  function lose(reason: string): void {
    if (!leader || done) return;
    leader = false;
    done = true;
    clearTimeout(timer);
    clearTimeout(deadline);
    log.warn("lost leadership", { lease, identity, reason });
    Promise.resolve()
      .then(options.onStoppedLeading)
      .catch((err: unknown) => log.error("leader election: onStoppedLeading failed", { err }));
  }

  /** Ends leadership at renewedAt + renewDeadlineMs unless a renewal comes first; a round may hang. */
  function armDeadline(): void {
    clearTimeout(deadline);
    deadline = setTimeout(
      () => {
        if (Date.now() - renewedAt >= renewDeadlineMs) {
          lose(notRenewed);
        }
      },
      Math.max(0, renewedAt + renewDeadlineMs - Date.now()),
    );
  }

  async function runRound(): Promise<void> {
    const attemptAt = Date.now();
    let holding: boolean;
    try {
      holding = await tryAcquireOrRenew();
    } catch (err) {
      // A holder keeps leading until its renew deadline (armDeadline); a candidate tries again.
      log.warn("lease update failed", { lease, err });
      return;
    }
    if (done) return;
    if (!holding) {
      if (leader) lose("another instance holds the lease");
      return;
    }
    if (leader && attemptAt - renewedAt >= renewDeadlineMs) {
      // The deadline passed while this renewal was in flight: the timer has yet to fire.
      lose(notRenewed);
      return;
    }
    renewedAt = attemptAt;
    armDeadline();
    if (!leader) {
      leader = true;
      log.info("became leader", { lease, identity });
      // Not awaited: the renewals go on while the leader starts.
      Promise.resolve()
        .then(options.onStartedLeading)
        .catch((err: unknown) => log.error("leader election: onStartedLeading failed", { err }));
    }
  }

  function schedule(delayMs: number): void {
    if (done) return;
    timer = setTimeout(() => {
      round = runRound()
        .catch((err: unknown) => log.error("leader election round failed", { err }))
        .finally(() => schedule(retryIntervalMs));
    }, delayMs);
  }
  schedule(0);

  return {
    isLeader: () => leader && Date.now() - renewedAt < renewDeadlineMs,
    async stop() {
      done = true;
      clearTimeout(timer);
      clearTimeout(deadline);
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
