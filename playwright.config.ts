import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * Playwright loads this file in the runner and again in every worker. The first load fixes the run's
 * id, port and state file in process.env; global setup and the workers inherit them. There is no
 * `webServer` here: global setup starts Sitepod with `npm run up`'s own script (e2e/global-setup.ts).
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
});
