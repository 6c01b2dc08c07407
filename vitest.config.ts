import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{lib,components,app,cluster,scripts,prisma}/**/*.test.{ts,tsx}"],
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
          // Starts the local cluster or reuses a running one; stops only what it started.
          globalSetup: ["tests/setup/global-cluster.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // The suites share one control plane and one MariaDB; each uses its own namespace/database.
          fileParallelism: false,
        },
      },
    ],
  },
});
