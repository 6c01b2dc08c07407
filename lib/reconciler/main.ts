/**
 * The reconciler process: `npm run reconciler`. Reads DATABASE_URL and the kubeconfig
 * (KUBECONFIG or the local cluster's), keeps Kubernetes in the state MySQL describes, and stops
 * cleanly on SIGTERM/SIGINT.
 */
import { createPrismaClient } from "@/lib/db";
import { loadKubeConfig } from "@/lib/k8s/client";
import { log as rootLog } from "@/lib/log";
import { startReconciler } from "./reconciler";

const log = rootLog.child({ component: "reconciler" });

async function main(): Promise<void> {
  const prisma = createPrismaClient();
  const kubeConfig = loadKubeConfig();
  const reconciler = await startReconciler({ prisma, kubeConfig, log });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    reconciler
      .stop()
      .then(() => prisma.$disconnect())
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
