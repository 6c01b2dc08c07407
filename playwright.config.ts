import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * Playwright loads this file in the runner and again in every worker. The first load fixes the run's
 * id, port and state file in process.env; the workers and the web server inherit them.
 */
process.env.SITEPOD_E2E_RUN_ID ??= randomBytes(6).toString("hex");
process.env.SITEPOD_E2E_PORT ??= execFileSync(
  process.execPath,
  [
    "-e",
    "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();})",
  ],
  { encoding: "utf8" },
).trim();
process.env.SITEPOD_E2E_STATE_FILE ??= path.join(
  import.meta.dirname,
  ".sitepod",
  "e2e",
  `run-${process.env.SITEPOD_E2E_RUN_ID}.json`,
);

const baseURL = `http://127.0.0.1:${process.env.SITEPOD_E2E_PORT}`;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Provisioning goes through the reconciler and a real (kwok) cluster.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium", viewport: { width: 1280, height: 800 } } }],
  // Started before global setup (Playwright's order), so it is given no url to wait for: it builds
  // while global setup prepares the cluster and the database, then waits for the state file.
  // Global setup waits for the server; global teardown stops it before dropping the database.
  webServer: {
    command: "node scripts/e2e-server.mjs",
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      SITEPOD_E2E_PORT: process.env.SITEPOD_E2E_PORT,
      SITEPOD_E2E_STATE_FILE: process.env.SITEPOD_E2E_STATE_FILE,
    },
  },
});
