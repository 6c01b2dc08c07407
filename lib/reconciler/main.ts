/**
 * The reconciler process: `npm run reconciler`. Reads DATABASE_URL and the kubeconfig
 * (KUBECONFIG or the local cluster's), keeps Kubernetes in the state MySQL describes (sites, and
 * accounts: plan quotas, suspension, termination), and stops cleanly on SIGTERM/SIGINT.
 *
 * SITEPOD_LEADER_ELECTION=1 (for several replicas in a cluster): only the holder of the Lease
 * `sitepod-reconciler` in SITEPOD_NAMESPACE (default sitepod-system) reconciles.
 */
import { hostname } from "node:os";
import { createPrismaClient } from "@/lib/db";
import { loadKubeConfig } from "@/lib/k8s/client";
import { log as rootLog } from "@/lib/log";
import { type LeaderElector, startLeaderElection } from "./leader-election";
import { type Reconciler, startReconciler } from "./reconciler";

const log = rootLog.child({ component: "reconciler" });

async function main(): Promise<void> {
  const prisma = createPrismaClient();
  const kubeConfig = loadKubeConfig();
  let reconciler: Reconciler | undefined;
  let elector: LeaderElector | undefined;

  if (process.env.SITEPOD_LEADER_ELECTION === "1") {
    elector = startLeaderElection({
      kubeConfig,
      namespace: process.env.SITEPOD_NAMESPACE || "sitepod-system",
      name: "sitepod-reconciler",
      identity: `${hostname()}-${process.pid}`,
      log,
      onStartedLeading: async () => {
        try {
          reconciler = await startReconciler({ prisma, kubeConfig, log });
        } catch (err) {
          // Holding the lease without reconciling would block every other replica.
          log.error("reconciler failed to start", { err });
          process.exit(1);
        }
      },
      onStoppedLeading: async () => {
        // Another instance may already be writing: stop now and let the supervisor restart us clean.
        await reconciler?.stop();
        process.exit(1);
      },
    });
  } else {
    reconciler = await startReconciler({ prisma, kubeConfig, log });
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    (async () => {
      await reconciler?.stop();
      await elector?.stop();
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
