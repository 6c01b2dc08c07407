/**
 * The reconciler process: `npm run reconciler`. Reads DATABASE_URL and the kubeconfig
 * (KUBECONFIG or the local cluster's), keeps Kubernetes in the state MySQL describes (sites, and
 * accounts: plan quotas, suspension, termination), and stops cleanly on SIGTERM/SIGINT.
 *
 * SITEPOD_LEADER_ELECTION=1 (for several replicas in a cluster): only the holder of the Lease
 * `sitepod-reconciler` in SITEPOD_NAMESPACE (default sitepod-system) reconciles.
 *
 * Every process, leading or not, writes a heartbeat row every few seconds (./heartbeat.ts): the
 * platform health page tells from it whether the reconciler is up and which instance leads.
 *
 * The leader also runs the change log's retention (./change-log-retention.ts).
 */
import { hostname } from "node:os";
import { createPrismaClient } from "@/lib/db";
import { guardAgainstDriverConnectionLoss } from "@/lib/db/driver-crash-guard";
import { loadKubeConfig } from "@/lib/k8s/client";
import { log as rootLog } from "@/lib/log";
import { type ChangeLogRetention, startChangeLogRetention } from "./change-log-retention";
import { startHeartbeat } from "./heartbeat";
import { type LeaderElector, startLeaderElection } from "./leader-election";
import { type Reconciler, startReconciler } from "./reconciler";

const log = rootLog.child({ component: "reconciler" });

async function main(): Promise<void> {
  // A MariaDB restart must not end the process (see lib/db/driver-crash-guard.ts).
  guardAgainstDriverConnectionLoss(log);
  const prisma = createPrismaClient();
  const kubeConfig = loadKubeConfig();
  let reconciler: Reconciler | undefined;
  let elector: LeaderElector | undefined;
  const identity = `${hostname()}-${process.pid}`;
  const heartbeat = startHeartbeat({
    prisma,
    identity,
    log: log.child({ part: "heartbeat" }),
    // Leading means reconciling: a Lease holder whose reconciler is still starting does not yet.
    report: () => ({
      leader: reconciler !== undefined && (elector?.isLeader() ?? true),
      stats: reconciler?.stats() ?? null,
    }),
  });
  let retention: ChangeLogRetention | undefined;

  if (process.env.SITEPOD_LEADER_ELECTION === "1") {
    elector = startLeaderElection({
      kubeConfig,
      namespace: process.env.SITEPOD_NAMESPACE || "sitepod-system",
      name: "sitepod-reconciler",
      identity,
      log,
      onStartedLeading: async () => {
        try {
          reconciler = await startReconciler({ prisma, kubeConfig, log });
          retention = startChangeLogRetention({ prisma, log });
        } catch (err) {
          // Holding the lease without reconciling would block every other replica.
          log.error("reconciler failed to start", { err });
          process.exit(1);
        }
      },
      onStoppedLeading: async () => {
        // Another instance may already be writing: stop now and let the supervisor restart us clean.
        await retention?.stop();
        await reconciler?.stop();
        process.exit(1);
      },
    });
  } else {
    reconciler = await startReconciler({ prisma, kubeConfig, log });
    retention = startChangeLogRetention({ prisma, log });
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    (async () => {
      await retention?.stop();
      await reconciler?.stop();
      await elector?.stop();
      await heartbeat.stop();
      await prisma.$disconnect();
    })()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error("shutdown failed", { err });
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  log.error("reconciler failed to start", { err });
  process.exit(1);
});
