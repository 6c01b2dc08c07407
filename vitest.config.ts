import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

/** The integration suites that need the local Kubernetes cluster. */
const CLUSTER_SUITES = [
  "cluster/**/*.int.test.ts",
  "deploy/**/*.int.test.ts",
  "lib/reconciler/**/*.int.test.ts",
  "lib/apiserver/aggregation.int.test.ts",
];

/** What both integration lanes share: one file at a time, and room for a real cluster's pace. */
const INTEGRATION_LANE = {
  environment: "node",
  testTimeout: 120_000,
  hookTimeout: 180_000,
  fileParallelism: false,
} as const;

export default defineConfig({
  resolve: { alias },
  test: {
    // The mariadb driver throws from a socket handler when a server closes a connection its pool is
    // still opening (lib/db/driver-crash-guard.ts); our processes log it and go on, and so do the
    // tests that stop a MariaDB on purpose. Only that error: anything else unhandled fails the run.
    onUnhandledError(error) {
      const e = error as { code?: unknown; fatal?: unknown };
      return !(e.code === "ER_SOCKET_UNEXPECTED_CLOSE" && e.fatal === true);
    },
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{lib,components,app,cluster,scripts,prisma,bench}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      // Two lanes, each one file at a time, that `npm test` runs side by side as two vitest processes
      // (scripts/test.sh; one process runs single-worker projects one after the other): the suites
      // that talk to the local cluster (the chaos suite stops its API server for a minute), and the
      // suites that need only MariaDB (each in a database of its own). The MariaDB lane gets no
      // kubeconfig: a suite there that reaches for the cluster fails at once.
      {
        resolve: { alias },
        test: {
          ...INTEGRATION_LANE,
          name: "integration-cluster",
          include: CLUSTER_SUITES,
          exclude: ["node_modules/**"],
          // Starts the local cluster or reuses a running one; stops only what it started.
          // The suites share one control plane; each uses its own namespaces and database.
          globalSetup: ["tests/setup/global-cluster.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          ...INTEGRATION_LANE,
          name: "integration-db",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ...CLUSTER_SUITES],
          // A Mailpit of the run's own for the mail Sitepod sends; stopped at the end.
          globalSetup: ["tests/setup/global-mailpit.ts"],
          // No cluster here: Sitepod's loadKubeConfig throws "No kubeconfig at ..." for this path.
          env: { KUBECONFIG: path.join(import.meta.dirname, ".sitepod", "no-cluster-in-the-db-lane") },
        },
      },
    ],
  },
});
