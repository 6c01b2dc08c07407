/**
 * The reconciler process's heartbeat: every few seconds one upsert of its ReconcilerHeartbeat row
 * (whether it leads, its queue's depth, its passes per kind), so that the platform health page of
 * any web replica knows whether reconciling goes on (lib/health/reconciler-liveness.ts). A process
 * that dies simply stops writing; one that stops cleanly says so.
 */
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { HEARTBEAT_FORGET_MS, HEARTBEAT_INTERVAL_MS } from "@/lib/health/reconciler-liveness";
import type { Logger } from "@/lib/log";
import type { ReconcilerStats } from "./reconciler";

export interface HeartbeatReport {
  /** Holds the Lease (or runs without leader election) and has started reconciling. */
  leader: boolean;
  /** The running reconciler's stats; null while this process waits for the Lease. */
  stats: ReconcilerStats | null;
}

export interface HeartbeatOptions {
  prisma: PrismaClient;
  /** The process's identity, as for the Lease: "<hostname>-<pid>". */
  identity: string;
  report: () => HeartbeatReport;
  log: Logger;
  intervalMs?: number;
  now?: () => Date;
}

export interface Heartbeat {
  /** Writes one beat now (the loop calls it; tests too). */
  beat(): Promise<void>;
  /** Ends the loop and records that the process stopped. */
  stop(): Promise<void>;
}

/** The row's columns for one report. */
export function heartbeatColumns(report: HeartbeatReport, at: Date) {
  const queue = report.stats?.queue ?? { ready: 0, delayed: 0, processing: 0 };
  return {
    leader: report.leader,
    beatAt: at,
    stoppedAt: null,
    queueReady: queue.ready,
    queueDelayed: queue.delayed,
    queueProcessing: queue.processing,
    workers: report.stats?.workers ?? 0,
    passes: (report.stats?.passes ?? {}) as Prisma.InputJsonValue,
  };
}

export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { prisma, identity, log } = options;
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const startedAt = now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;

  /** Beats one after another: an upsert is a read then a write, and two at once would collide. */
  let last: Promise<void> = Promise.resolve();
  function beat(): Promise<void> {
    const next = last.catch(() => {}).then(write);
    last = next;
    return next;
  }

  async function write(): Promise<void> {
    const at = now();
    const columns = heartbeatColumns(options.report(), at);
    await prisma.reconcilerHeartbeat.upsert({
      where: { holder: identity },
      create: { holder: identity, startedAt, ...columns },
      update: { startedAt, ...columns },
    });
    // Rows of processes long gone (every restart is a new identity) would pile up.
    await prisma.reconcilerHeartbeat.deleteMany({
      where: { beatAt: { lt: new Date(at.getTime() - HEARTBEAT_FORGET_MS) } },
    });
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      writing = beat()
        // A database hiccup costs one beat; the page calls the reconciler down only after several.
        .catch((err: unknown) => log.warn("heartbeat not written", { err }))
        .finally(() => {
          writing = undefined;
          schedule(intervalMs);
        });
    }, delayMs);
    timer.unref();
  }
  schedule(0);

  return {
    beat,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await writing;
      await last.catch(() => {});
      try {
        await prisma.reconcilerHeartbeat.updateMany({
          where: { holder: identity },
          data: { beatAt: now(), stoppedAt: now(), leader: false },
        });
      } catch (err) {
        log.warn("heartbeat stop not recorded", { err });
      }
    },
  };
}
