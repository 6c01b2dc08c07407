/**
 * Lighthouse (desktop) against a running Sitepod: `npm run bench:lighthouse`.
 *
 * Start Sitepod first with `npm run up` (a production build; the figures of `next dev` mean
 * nothing). Signs in as the seeded demo customer (and the agency for its client-sites page) in
 * Debian's Chromium, then runs Lighthouse's desktop preset BENCH_RUNS times on each page and
 * prints the median performance score, accessibility and best-practices scores, and the timings
 * performance is made of, against the target of 95. Figures to read, not assertions: a loaded
 * 2-core machine scores lower than a quiet one.
 *
 * Environment: SITEPOD_URL (default http://127.0.0.1:3000), BENCH_RUNS (default 3), and the seed's
 * passwords (SITEPOD_DEMO_PASSWORD, SITEPOD_AGENCY_PASSWORD) when `npm run up` was given others.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { type BrowserContext, chromium } from "@playwright/test";
import { z } from "zod";

const Env = z.object({
  SITEPOD_URL: z.url().default("http://127.0.0.1:3000"),
  BENCH_RUNS: z.coerce.number().int().min(1).max(15).default(3),
  SITEPOD_DEMO_PASSWORD: z.string().default("sitepod-demo"),
  SITEPOD_AGENCY_PASSWORD: z.string().default("sitepod-agency"),
});
const env = Env.parse(process.env);
const TARGET = 95;
const DEBUG_PORT = 9333;

interface Run {
  performance: number;
  accessibility: number;
  bestPractices: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
}

async function signIn(context: BrowserContext, email: string, password: string): Promise<void> {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${env.SITEPOD_URL}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/accounts\/[a-z0-9-]+\/(sites|customers)$/);
  await page.close();
}

/** The first site of the demo account, through the REST API with the session just made. */
async function firstDemoSite(context: BrowserContext): Promise<string> {
  const accounts = (await (await context.request.get(`${env.SITEPOD_URL}/api/v1/accounts`)).json()) as {
    accounts: { id: string; slug: string }[];
  };
  const demo = accounts.accounts.find((a) => a.slug === "demo");
  if (!demo) throw new Error("the demo account is missing: start Sitepod with `npm run up` (it seeds it)");
  const { sites } = (await (
    await context.request.get(`${env.SITEPOD_URL}/api/v1/accounts/${demo.id}/sites`)
  ).json()) as {
    sites: { id: string }[];
  };
  const site = sites[0];
  if (!site) throw new Error("the demo account has no site: create one in the panel first");
  return `/accounts/demo/sites/${site.id}`;
}

async function measure(url: string): Promise<Run> {
  const result = await lighthouse(
    url,
    {
      port: DEBUG_PORT,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices"],
    },
    desktopConfig,
  );
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { categories, audits } = result.lhr;
  const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
  const ms = (id: string) => Math.round(audits[id]?.numericValue ?? Number.NaN);
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    fcp: ms("first-contentful-paint"),
    lcp: ms("largest-contentful-paint"),
    tbt: ms("total-blocking-time"),
    cls: Math.round((audits["cumulative-layout-shift"]?.numericValue ?? 0) * 1000) / 1000,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const profile = mkdtempSync(path.join(tmpdir(), "sitepod-lighthouse-"));
  // One persistent context: its cookies are the browser's own, so the tabs Lighthouse opens
  // through the debugging port are signed in too.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      `--remote-debugging-port=${DEBUG_PORT}`,
      "--remote-debugging-address=127.0.0.1",
      "--no-sandbox",
      "--disable-dev-shm-usage",
    ],
  });
  const pages: { name: string; path: string; user: "anonymous" | "demo" | "agency" }[] = [
    { name: "sign-in", path: "/sign-in", user: "anonymous" },
    { name: "sites", path: "/accounts/demo/sites", user: "demo" },
    { name: "site", path: "", user: "demo" },
    { name: "client-sites", path: "/accounts/pixel-agency/client-sites", user: "agency" },
  ];
  const rows: { name: string; runs: Run[] }[] = [];
  try {
    for (const page of pages) {
      if (page.user === "demo") await signIn(context, "demo@sitepod.local", env.SITEPOD_DEMO_PASSWORD);
      else if (page.user === "agency")
        await signIn(context, "agency@sitepod.local", env.SITEPOD_AGENCY_PASSWORD);
      else await context.clearCookies();
      const pagePath = page.path || (await firstDemoSite(context));
      const runs: Run[] = [];
      for (let i = 0; i < env.BENCH_RUNS; i++) runs.push(await measure(`${env.SITEPOD_URL}${pagePath}`));
      rows.push({ name: page.name, runs });
      process.stderr.write(`measured ${page.name} (${pagePath}) ${env.BENCH_RUNS}x\n`);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }

  process.stdout.write(
    `\nLighthouse desktop, median of ${env.BENCH_RUNS} runs, against ${env.SITEPOD_URL}\n`,
  );
  process.stdout.write(
    `${["page", "perf", "vs target", "a11y", "best pr.", "FCP ms", "LCP ms", "TBT ms", "CLS"]
      .map((h) => h.padEnd(13))
      .join("")}\n`,
  );
  for (const { name, runs } of rows) {
    const m = (key: keyof Run) => median(runs.map((r) => r[key]));
    const perf = m("performance");
    process.stdout.write(
      `${[
        name,
        String(perf),
        `${(perf / TARGET).toFixed(2)} ${perf >= TARGET ? "PASS" : "FAIL"}`,
        String(m("accessibility")),
        String(m("bestPractices")),
        String(m("fcp")),
        String(m("lcp")),
        String(m("tbt")),
        String(m("cls")),
      ]
        .map((c) => c.padEnd(13))
        .join("")}\n`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
