import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

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
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          // Starts the local cluster or reuses a running one; stops only what it started. Starts a
          // Mailpit of the run's own for the mail Sitepod sends, and stops it.
          globalSetup: ["tests/setup/global-cluster.ts", "tests/setup/global-mailpit.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // The suites share one control plane and one MariaDB; each uses its own namespace/database.
          fileParallelism: false,
        },
      },
    ],
  },
});
