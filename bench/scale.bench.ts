/**
 * Scale benchmark: `npm run bench:scale` (issue 12, part 1). Not part of `npm test`: timings on a
 * shared 2-core machine are figures to read, not assertions.
 *
 * It creates its own migrated MariaDB database and seeds it through a bulk path that writes the rows
 * the services write (accounts with their materialized path and plan, users with an argon2id hash
 * (hashed once, reused), memberships, sites with sealed secrets, conditions and a platform label,
 * their primary domains, and change-log rows with the shape appendChange writes):
 *
 *   platform ── 20 providers (10 resellers, 10 agencies) ── 1,000 customers ── 10,000 sites
 *   50 users (the operator, an owner per provider, customer owners), 1,000,000 change-log rows
 *
 * Then, in a fresh process (so that the seed's rows are not in the RSS it reports), two phases:
 *
 *  - in process: the service layer the web process runs for each page and API call (what the route
 *    handlers call after authentication), each alone (one caller) and with 50 concurrent callers in
 *    this process (bounded: each caller awaits its call before the next);
 *  - over HTTP (bench/scale-http.ts): the panel's production build served by `next start` on this
 *    database, and autocannon (the load generator) sending the same questions to its API (with API
 *    tokens) and its pages (with the session cookie of a real sign-in), one connection and then 50
 *    concurrent ones; the web process's RSS sampled from /proc. On a 2-core machine the load
 *    generator and the server share the cores: the figures include that.
 *
 * Each prints p50/p95/p99 next to the target (every list p95 under 100 ms) with the ratio, and peak
 * RSS (target: the web process under 400 MB).
 *
 * Environment:
 *   SITEPOD_BENCH_SCALE=0.1        seed size relative to the (sites, customers, changes)
 *   SITEPOD_BENCH_CONCURRENCY=50   concurrent callers
 *   SITEPOD_BENCH_CALLS=60         calls per measurement (at least 2 per concurrent caller)
 *   SITEPOD_BENCH_DATABASE=name    reuse a database a previous run kept (skips the seed)
 *   SITEPOD_BENCH_KEEP=1           keep the database afterwards (prints its name)
 *   SITEPOD_BENCH_ONLY=substring   measure only the scenarios whose name contains it
 *   SITEPOD_BENCH_TRANSPORT=both   inprocess, http, or both phases
 *   SITEPOD_BENCH_SERVER_NODE_OPTIONS="--cpu-prof"  Node flags of the web server (HTTP phase)
 *   SITEPOD_BENCH_NEXT_BUILD=no    serve the existing .next build instead of building the panel
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { hashPassword } from "@/lib/auth/password";
import { createPrismaClient, prisma, setPrismaClient } from "@/lib/db";
import { createApiToken } from "@/lib/services/api-token/create-api-token";
import type { PrismaClient, SitePhase } from "@/lib/generated/prisma/client";
import { plainPlatformLabel } from "@/lib/k8s/manifests/platform-hostname";
import { listReachableAccounts } from "@/lib/authz/scope";
import { listDescendantAccounts } from "@/lib/services/account/list-descendant-accounts";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";
import { loadAccountShell } from "@/lib/services/account/load-account-shell";
import type { Actor } from "@/lib/services/actor";
import { listAuditLog } from "@/lib/services/audit-log/list-audit-log";
import { createSite } from "@/lib/services/site/create-site";
import { listClientSites } from "@/lib/services/site/list-client-sites";
import { listSites } from "@/lib/services/site/list-sites";
import { generateSiteSecrets, sealSiteSecrets } from "@/lib/services/site/site-secrets";
import { createTestDatabase, TEST_RUNTIMES, testDatabaseUrl } from "@/tests/helpers/db";
import {
  type HttpScenario,
  type Measurement,
  measureOverHttp,
  signInOverHttp,
  startWebServer,
} from "./scale-http";
import { percentile } from "./support";

process.env.SITEPOD_LOG_LEVEL ??= "warn";
// Sealing site secrets needs a key; a bench database holds nothing worth protecting.
process.env.SITEPOD_SECRET_KEY ??= Buffer.alloc(32, 7).toString("base64");

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

const SCALE = envNumber("SITEPOD_BENCH_SCALE", 1);
const CONCURRENCY = Math.round(envNumber("SITEPOD_BENCH_CONCURRENCY", 50));
const CALLS = Math.max(Math.round(envNumber("SITEPOD_BENCH_CALLS", 60)), CONCURRENCY * 2);
const ONLY = process.env.SITEPOD_BENCH_ONLY ?? "";
const TRANSPORT = process.env.SITEPOD_BENCH_TRANSPORT ?? "both";
if (!["both", "inprocess", "http"].includes(TRANSPORT)) {
  throw new Error(`SITEPOD_BENCH_TRANSPORT must be both, inprocess or http, not ${TRANSPORT}`);
}

const PROVIDERS = 20;
const CUSTOMERS = Math.max(PROVIDERS, Math.round(1000 * SCALE));
const SITES_PER_CUSTOMER = 10;
const SITES = CUSTOMERS * SITES_PER_CUSTOMER;
const CHANGES_PER_SITE = Math.max(1, Math.round((1_000_000 * SCALE) / SITES));
const USERS = 50;
const PASSWORD = "bench-password-1";
const LIST_TARGET_MS = 100;
const RSS_TARGET_MB = 400;

interface Seeded {
  platformId: string;
  operator: Actor;
  operatorEmail: string;
  providers: { id: string; slug: string; kind: "RESELLER" | "AGENCY"; owner: Actor; customers: string[] }[];
  customers: { id: string; slug: string }[];
  customerOwners: { actor: Actor; accountId: string; slug: string }[];
  emails: string[];
  changeIds: { min: bigint; max: bigint };
}

/** One line of the report on stdout. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function pad(n: number, width = 4): string {
  return String(n).padStart(width, "0");
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const PLAN_LIMITS = {
  maxSites: 100_000,
  maxDomains: 100_000,
  maxDatabases: 100_000,
  maxCronJobs: 100_000,
  storageGiB: 10_000_000,
  cpuMillicores: 100_000_000,
  memoryMiB: 100_000_000,
  backupsKept: 10,
};

function phaseOf(i: number): { phase: SitePhase; deleting: boolean } {
  const r = i % 100;
  if (r < 85) return { phase: "RUNNING", deleting: false };
  if (r < 90) return { phase: "PROVISIONING", deleting: false };
  if (r < 95) return { phase: "DEGRADED", deleting: false };
  if (r < 98) return { phase: "SUSPENDED", deleting: false };
  return { phase: "RUNNING", deleting: true };
}

async function seed(p: PrismaClient): Promise<Seeded> {
  const started = performance.now();
  const passwordHash = await hashPassword(PASSWORD);
  const platformId = "bplatform";
  await p.account.create({
    data: { id: platformId, slug: "platform", name: "Platform", kind: "PLATFORM", path: `/${platformId}/` },
  });
  const providers: Seeded["providers"] = [];
  const users: { id: string; email: string; name: string; passwordHash: string }[] = [];
  const memberships: { userId: string; accountId: string; role: "OWNER" }[] = [];
  users.push({ id: "buser00", email: "operator@bench.test", name: "Operator", passwordHash });
  memberships.push({ userId: "buser00", accountId: platformId, role: "OWNER" });
  const providerRows = [];
  const plans = [];
  for (let i = 0; i < PROVIDERS; i += 1) {
    const kind = i % 2 === 0 ? "RESELLER" : "AGENCY";
    const id = `bprov${pad(i, 2)}`;
    const slug = `${kind === "RESELLER" ? "reseller" : "agency"}-${pad(i, 2)}`;
    providerRows.push({
      id,
      slug,
      name: `${kind === "RESELLER" ? "Reseller" : "Agency"} ${pad(i, 2)}`,
      kind,
      parentId: platformId,
      path: `/${platformId}/${id}/`,
    } as const);
    plans.push({ id: `bplan${pad(i, 2)}`, ownerAccountId: id, name: "Standard", ...PLAN_LIMITS });
    const userId = `buser${pad(i + 1, 2)}`;
    users.push({ id: userId, email: `owner-${slug}@bench.test`, name: `Owner of ${slug}`, passwordHash });
    memberships.push({ userId, accountId: id, role: "OWNER" });
    providers.push({ id, slug, kind, owner: { userId, ip: "127.0.0.1" }, customers: [] });
  }
  await p.account.createMany({ data: providerRows });
  await p.plan.createMany({ data: plans });
  const customers: Seeded["customers"] = [];
  const customerRows = [];
  for (let c = 0; c < CUSTOMERS; c += 1) {
    const provider = providers[c % PROVIDERS];
    if (!provider) throw new Error("no provider");
    const id = `bcust${pad(c)}`;
    const slug = `cust-${pad(c)}`;
    customerRows.push({
      id,
      slug,
      name: `Customer ${pad(c)} of ${provider.slug}`,
      kind: "CUSTOMER" as const,
      parentId: provider.id,
      path: `/${platformId}/${provider.id}/${id}/`,
      planId: `bplan${pad(c % PROVIDERS, 2)}`,
    });
    provider.customers.push(id);
    customers.push({ id, slug });
  }
  for (const part of chunks(customerRows, 1000)) await p.account.createMany({ data: part });
  const customerOwners: Seeded["customerOwners"] = [];
  for (let u = PROVIDERS + 1; u < USERS; u += 1) {
    const customer = customers[(u * 37) % customers.length];
    if (!customer) throw new Error("no customer");
    const userId = `buser${pad(u, 2)}`;
    users.push({ id: userId, email: `owner-${customer.slug}@bench.test`, name: `Owner ${u}`, passwordHash });
    memberships.push({ userId, accountId: customer.id, role: "OWNER" });
    customerOwners.push({ actor: { userId, ip: "127.0.0.1" }, accountId: customer.id, slug: customer.slug });
  }
  await p.user.createMany({ data: users });
  await p.membership.createMany({ data: memberships });

  // Sites as createSite writes them: sealed secrets, a Ready condition, a platform label, a domain.
  const now = Date.now();
  const siteRows = [];
  const domainRows = [];
  for (let c = 0; c < CUSTOMERS; c += 1) {
    const customer = customers[c];
    if (!customer) throw new Error("no customer");
    for (let s = 0; s < SITES_PER_CUSTOMER; s += 1) {
      const index = c * SITES_PER_CUSTOMER + s;
      const name = `site-${pad(s, 2)}-${pad(c)}`;
      const id = `bsite${pad(index, 5)}`;
      const { phase, deleting } = phaseOf(index);
      const at = new Date(now - (SITES - index) * 60_000);
      siteRows.push({
        id,
        accountId: customer.id,
        name,
        app: index % 4 === 0 ? ("PHP" as const) : ("WORDPRESS" as const),
        phpVersion: TEST_RUNTIMES[0].phpVersion,
        platformLabel: plainPlatformLabel(name, customer.slug),
        title: `Site ${pad(s, 2)} of ${customer.slug}`,
        phase,
        generation: 1,
        observedGeneration: phase === "PROVISIONING" ? 0 : 1,
        conditions: [
          {
            type: "Ready",
            status: phase === "RUNNING" ? "True" : "False",
            reason: phase === "RUNNING" ? "Available" : "Provisioning",
            message: phase === "RUNNING" ? "The site serves." : "Waiting for the site's resources.",
            lastTransitionTime: at.toISOString(),
            observedGeneration: 1,
          },
        ],
        secretsCiphertext: sealSiteSecrets(
          generateSiteSecrets(name, { user: "admin", email: "a@bench.test" }),
        ),
        deletionRequestedAt: deleting ? at : null,
        createdAt: at,
      });
      domainRows.push({ siteId: id, hostname: `${name}.${customer.slug}.bench.test`, isPrimary: true });
    }
  }
  for (const part of chunks(siteRows, 500)) await p.site.createMany({ data: part });
  for (const part of chunks(domainRows, 2000)) await p.domain.createMany({ data: part });

  // Change-log rows as appendChange writes them for sites: one CREATED, then status reports and
  // updates, interleaved across accounts in time order (ids ascend with createdAt). Generated by
  // MariaDB's sequence engine: a million rows through the client would measure the client.
  const total = SITES * CHANGES_PER_SITE;
  const step = Math.max(1, Math.floor(200_000 / SITES));
  for (let from = 1; from <= CHANGES_PER_SITE; from += step) {
    const to = Math.min(CHANGES_PER_SITE, from + step - 1);
    await p.$executeRawUnsafe(`
      INSERT INTO ChangeLog (kind, objectId, accountId, action, actorUserId, actorIp, data, summary, createdAt)
      SELECT 'Site', s.id, s.accountId,
        CASE WHEN q.seq = 1 THEN 'CREATED' WHEN q.seq % 3 = 0 THEN 'UPDATED' ELSE 'STATUS' END,
        CASE WHEN q.seq = 1 OR q.seq % 3 = 0 THEN m.userId ELSE NULL END,
        CASE WHEN q.seq = 1 OR q.seq % 3 = 0 THEN '127.0.0.1' ELSE NULL END,
        CASE WHEN q.seq % 3 = 0 THEN JSON_OBJECT('name', s.name, 'replicas', 1 + q.seq % 2)
             WHEN q.seq = 1 THEN JSON_OBJECT('name', s.name, 'title', s.title, 'app', s.app)
             ELSE JSON_OBJECT('phase', s.phase) END,
        NULL,
        NOW(3) - INTERVAL (${total} - ((q.seq - 1) * ${SITES} + CAST(SUBSTRING(s.id, 6) AS UNSIGNED))) SECOND
      FROM seq_${from}_to_${to} q
      CROSS JOIN Site s
      JOIN Account a ON a.id = s.accountId
      JOIN Membership m ON m.accountId = a.parentId AND m.role = 'OWNER'
      ORDER BY q.seq, s.id`);
    process.stdout.write(
      `\r  change log: ${Math.min(to * SITES, total).toLocaleString()} / ${total.toLocaleString()}`,
    );
  }
  process.stdout.write("\n");
  await p.$executeRawUnsafe("ANALYZE TABLE Account, Site, Domain, ChangeLog, Membership, User");
  say(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return describeSeed(p);
}

/** What the scenarios need, read back from a seeded database (also one a previous run kept). */
async function describeSeed(p: PrismaClient): Promise<Seeded> {
  const platform = await p.account.findUniqueOrThrow({ where: { slug: "platform" } });
  const operator = await p.user.findUniqueOrThrow({ where: { email: "operator@bench.test" } });
  const providerRows = await p.account.findMany({
    where: { parentId: platform.id },
    include: { memberships: { where: { role: "OWNER" } } },
    orderBy: { slug: "asc" },
  });
  const customerRows = await p.account.findMany({
    where: { kind: "CUSTOMER" },
    select: { id: true, slug: true, parentId: true },
  });
  const owners = await p.membership.findMany({ where: { account: { kind: "CUSTOMER" } } });
  const users = await p.user.findMany({ select: { email: true } });
  const ids = await p.changeLog.aggregate({ _min: { id: true }, _max: { id: true } });
  const slugOf = new Map(customerRows.map((c) => [c.id, c.slug]));
  return {
    platformId: platform.id,
    operator: { userId: operator.id, ip: "127.0.0.1" },
    operatorEmail: operator.email,
    providers: providerRows.map((row) => ({
      id: row.id,
      slug: row.slug,
      kind: row.kind === "AGENCY" ? "AGENCY" : "RESELLER",
      owner: { userId: row.memberships[0]?.userId ?? "", ip: "127.0.0.1" },
      customers: customerRows.filter((c) => c.parentId === row.id).map((c) => c.id),
    })),
    customers: customerRows.map(({ id, slug }) => ({ id, slug })),
    customerOwners: owners.map((m) => ({
      actor: { userId: m.userId, ip: "127.0.0.1" },
      accountId: m.accountId,
      slug: slugOf.get(m.accountId) ?? "",
    })),
    emails: users.map((u) => u.email),
    changeIds: { min: ids._min.id ?? 0n, max: ids._max.id ?? 0n },
  };
}

function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

interface Scenario {
  name: string;
  /** p95 target in ms; null: no target in the issue (printed for reading). */
  target: number | null;
  run: () => Promise<unknown>;
}

type Result = Measurement;

let peakRss = 0;
function sampleRss(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

async function measure(scenario: Scenario, callers: number, calls: number): Promise<Result> {
  const times: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  let peak = 0;
  const sample = () => {
    sampleRss();
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const rssTimer = setInterval(sample, 50);
  const began = performance.now();
  const worker = async () => {
    while (next < calls) {
      next += 1;
      const start = performance.now();
      try {
        await scenario.run();
      } catch (err) {
        errors += 1;
        firstError ??= err instanceof Error ? err.message.split("\n").slice(-1)[0] : String(err);
      }
      times.push(performance.now() - start);
    }
  };
  try {
    await Promise.all(Array.from({ length: callers }, worker));
  } finally {
    clearInterval(rssTimer);
    sample();
  }
  const elapsed = (performance.now() - began) / 1000;
  times.sort((a, b) => a - b);
  return {
    name: scenario.name,
    callers,
    calls,
    errors,
    firstError,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    perSecond: calls / elapsed,
    rssMb: peak / 1024 / 1024,
    target: scenario.target,
  };
}

function scenarios(s: Seeded): Scenario[] {
  const agencies = s.providers.filter((p) => p.kind === "AGENCY");
  const agency = () => pick(agencies);
  const provider = () => pick(s.providers);
  const middle = (s.changeIds.min + s.changeIds.max) / 2n;
  let created = 0;
  const list = LIST_TARGET_MS;
  return [
    {
      name: "sites list (a customer's, as its provider)",
      target: list,
      run: async () => {
        const p = provider();
        await listSites({ actor: p.owner, accountId: pick(p.customers) });
      },
    },
    {
      name: "client sites: agency, first page",
      target: list,
      run: () => {
        const a = agency();
        return listClientSites({ actor: a.owner, accountId: a.id, input: {} });
      },
    },
    {
      name: "client sites: agency, search",
      target: list,
      run: () => {
        const a = agency();
        return listClientSites({
          actor: a.owner,
          accountId: a.id,
          input: { q: `site-0${Math.floor(Math.random() * 10)}` },
        });
      },
    },
    {
      name: "client sites: agency, filter + sort by client",
      target: list,
      run: () => {
        const a = agency();
        return listClientSites({
          actor: a.owner,
          accountId: a.id,
          input: { status: "RUNNING", sort: "client", dir: "desc", page: "3" },
        });
      },
    },
    {
      name: "client sites: operator (all sites), search",
      target: list,
      run: () =>
        listClientSites({
          actor: s.operator,
          accountId: s.platformId,
          input: { q: `cust-0${Math.floor(Math.random() * 90) + 10}` },
        }),
    },
    {
      name: "client sites: operator, filter + sort by status",
      target: list,
      run: () =>
        listClientSites({
          actor: s.operator,
          accountId: s.platformId,
          input: { status: "DEGRADED", sort: "status", dir: "desc" },
        }),
    },
    {
      name: "client sites: operator, deep page (sort created)",
      target: list,
      run: () =>
        listClientSites({
          actor: s.operator,
          accountId: s.platformId,
          input: { sort: "created", dir: "desc", page: String(Math.max(1, Math.floor(SITES / 20) - 2)) },
        }),
    },
    {
      name: "audit log: operator, first page",
      target: list,
      run: () => listAuditLog({ actor: s.operator, accountId: s.platformId, input: {} }),
    },
    {
      name: "audit log: operator, deep page",
      target: list,
      run: () =>
        listAuditLog({ actor: s.operator, accountId: s.platformId, input: { before: String(middle) } }),
    },
    {
      name: "audit log: provider, deep page",
      target: list,
      run: () => {
        const p = provider();
        return listAuditLog({ actor: p.owner, accountId: p.id, input: { before: String(middle) } });
      },
    },
    {
      name: "audit log: customer, first page",
      target: list,
      run: () => {
        const c = pick(s.customerOwners);
        return listAuditLog({ actor: c.actor, accountId: c.accountId, input: {} });
      },
    },
    {
      name: "account shell (every page): operator in a customer",
      target: list,
      run: async () => {
        const shell = await loadAccountShell({ actor: s.operator, slug: pick(s.customers).slug });
        if (!shell) throw new Error("shell not found");
      },
    },
    {
      // What every account page loaded before the shell: each account the caller reaches.
      name: "(before) every reachable account: operator",
      target: list,
      run: () => listReachableAccounts(s.operator),
    },
    {
      name: "account shell: customer owner",
      target: list,
      run: async () => {
        const c = pick(s.customerOwners);
        if (!(await loadAccountShell({ actor: c.actor, slug: c.slug }))) throw new Error("shell not found");
      },
    },
    {
      name: "account switcher search: operator",
      target: list,
      run: () =>
        listMyAccounts({
          actor: s.operator,
          input: { q: `cust-0${Math.floor(Math.random() * 90) + 10}`, limit: "20" },
        }),
    },
    {
      name: "account tree API (first page below): provider",
      target: list,
      run: () => {
        const p = provider();
        return listDescendantAccounts({ actor: p.owner, accountId: p.id });
      },
    },
    {
      name: "account tree API (first page below): operator",
      target: list,
      run: () => listDescendantAccounts({ actor: s.operator, accountId: s.platformId }),
    },
    {
      name: "site creation (provider into a customer)",
      target: null,
      run: async () => {
        const p = provider();
        created += 1;
        const name = `new-${process.pid}-${created}-${Math.floor(Math.random() * 1e6)}`;
        await createSite({
          actor: p.owner,
          accountId: pick(p.customers),
          input: { name, domain: `${name}.created.bench.test`, app: "PHP" },
        });
      },
    },
    {
      name: "sign-in (argon2id verify)",
      target: null,
      run: async () => {
        const user = await verifyCredentials({ email: pick(s.emails), password: PASSWORD });
        if (!user) throw new Error("sign-in refused");
      },
    },
  ];
}

/** Who calls over HTTP: an API token per provider and the operator, and their signed-in sessions. */
interface HttpCallers {
  operatorToken: string;
  operatorCookie: string;
  providers: {
    id: string;
    slug: string;
    kind: "RESELLER" | "AGENCY";
    token: string;
    cookie: string;
    customers: { id: string; slug: string }[];
  }[];
}

/** An owner's API token on its account; a run on a kept database replaces the last run's. */
async function benchToken(actor: Actor, accountId: string): Promise<string> {
  await prisma.apiToken.deleteMany({ where: { userId: actor.userId, accountId, name: "bench" } });
  const { secret } = await createApiToken({
    actor,
    accountId,
    input: { name: "bench", role: "OWNER", expiresInDays: 7 },
  });
  return secret;
}

async function httpCallers(s: Seeded, baseUrl: string): Promise<HttpCallers> {
  const slugOf = new Map(s.customers.map((c) => [c.id, c.slug]));
  const providers: HttpCallers["providers"] = [];
  for (const p of s.providers) {
    providers.push({
      id: p.id,
      slug: p.slug,
      kind: p.kind,
      token: await benchToken(p.owner, p.id),
      cookie: await signInOverHttp(baseUrl, `owner-${p.slug}@bench.test`, PASSWORD),
      customers: p.customers.map((id) => ({ id, slug: slugOf.get(id) ?? "" })),
    });
  }
  return {
    operatorToken: await benchToken(s.operator, s.platformId),
    operatorCookie: await signInOverHttp(baseUrl, s.operatorEmail, PASSWORD),
    providers,
  };
}

/** The same questions as the in-process scenarios, asked of the running panel: its API and pages. */
function httpScenarios(s: Seeded, callers: HttpCallers): HttpScenario[] {
  const agencies = callers.providers.filter((p) => p.kind === "AGENCY");
  const provider = () => pick(callers.providers);
  const agency = () => pick(agencies);
  const operator = { token: callers.operatorToken };
  const middle = (s.changeIds.min + s.changeIds.max) / 2n;
  const custQuery = () => `cust-0${Math.floor(Math.random() * 90) + 10}`;
  const list = LIST_TARGET_MS;
  let created = 0;
  return [
    {
      // The server's own floor: what next start answers with no database, authentication or
      // rendering (the liveness route). No list can be answered faster or more often than this.
      name: "floor: liveness route (no database, no sign-in)",
      target: null,
      request: () => ({ path: "/api/health/live", auth: { anonymous: true } }),
    },
    {
      name: "API sites list (a customer's, as its provider)",
      target: list,
      request: () => {
        const p = provider();
        return { path: `/api/v1/accounts/${pick(p.customers).id}/sites`, auth: { token: p.token } };
      },
    },
    {
      name: "page sites list (a customer's, as its provider)",
      target: list,
      request: () => {
        const p = provider();
        return { path: `/accounts/${pick(p.customers).slug}/sites`, auth: { cookie: p.cookie } };
      },
    },
    {
      name: "API client sites: agency, search",
      target: list,
      request: () => {
        const a = agency();
        const q = `site-0${Math.floor(Math.random() * 10)}`;
        return { path: `/api/v1/accounts/${a.id}/client-sites?q=${q}`, auth: { token: a.token } };
      },
    },
    {
      name: "API client sites: agency, filter + sort, page 3",
      target: list,
      request: () => {
        const a = agency();
        return {
          path: `/api/v1/accounts/${a.id}/client-sites?status=RUNNING&sort=client&dir=desc&page=3`,
          auth: { token: a.token },
        };
      },
    },
    {
      name: "page client sites: agency, search",
      target: list,
      request: () => {
        const a = agency();
        const q = `site-0${Math.floor(Math.random() * 10)}`;
        return { path: `/accounts/${a.slug}/client-sites?q=${q}`, auth: { cookie: a.cookie } };
      },
    },
    {
      name: "API client sites: operator, search",
      target: list,
      request: () => ({
        path: `/api/v1/accounts/${s.platformId}/client-sites?q=${custQuery()}`,
        auth: operator,
      }),
    },
    {
      name: "API client sites: operator, deep page",
      target: list,
      request: () => ({
        path: `/api/v1/accounts/${s.platformId}/client-sites?sort=created&dir=desc&page=${Math.max(1, Math.floor(SITES / 20) - 2)}`,
        auth: operator,
      }),
    },
    {
      name: "page client sites: operator, filter by status",
      target: list,
      request: () => ({
        path: "/accounts/platform/client-sites?status=DEGRADED&sort=status&dir=desc",
        auth: { cookie: callers.operatorCookie },
      }),
    },
    {
      name: "API audit log: operator, deep page",
      target: list,
      request: () => ({
        path: `/api/v1/accounts/${s.platformId}/audit-log?before=${middle}`,
        auth: operator,
      }),
    },
    {
      name: "API audit log: a customer's, as its provider",
      target: list,
      request: () => {
        const p = provider();
        return { path: `/api/v1/accounts/${pick(p.customers).id}/audit-log`, auth: { token: p.token } };
      },
    },
    {
      name: "API account tree (first page below): provider",
      target: list,
      request: () => {
        const p = provider();
        return { path: `/api/v1/accounts/${p.id}/accounts`, auth: { token: p.token } };
      },
    },
    {
      name: "API account switcher search: operator",
      target: list,
      request: () => ({ path: `/api/v1/accounts?q=${custQuery()}&limit=20`, auth: operator }),
    },
    {
      name: "API site creation (provider into a customer)",
      target: null,
      request: () => {
        const p = provider();
        created += 1;
        const name = `http-${process.pid}-${created}-${Math.floor(Math.random() * 1e6)}`;
        return {
          method: "POST",
          path: `/api/v1/accounts/${pick(p.customers).id}/sites`,
          auth: { token: p.token },
          body: { name, domain: `${name}.created.bench.test`, app: "PHP" },
        };
      },
    },
  ];
}

/** The HTTP phase: the production server on this database, loaded by autocannon. */
async function runHttpPhase(s: Seeded, databaseUrl: string): Promise<void> {
  say(`
Over HTTP: the panel's production server (next start) on this database, autocannon as the load generator`);
  const server = await startWebServer({
    databaseUrl,
    secretKey: process.env.SITEPOD_SECRET_KEY ?? "",
    say,
  });
  try {
    const callers = await httpCallers(s, server.baseUrl);
    const idleMb = server.rssMb();
    say(
      `  web process RSS after start and ${callers.providers.length + 1} sign-ins: ${idleMb.toFixed(0)} MB`,
    );
    const results: Result[] = [];
    for (const scenario of httpScenarios(s, callers).filter((sc) => sc.name.includes(ONLY))) {
      // Warm: the route's first call loads its code and compiles its queries.
      await measureOverHttp(server, scenario, 1, 3);
      results.push(await measureOverHttp(server, scenario, 1, Math.min(CALLS, 30)));
      results.push(await measureOverHttp(server, scenario, CONCURRENCY, CALLS));
      process.stdout.write(".");
    }
    process.stdout.write("\n");
    printResults(results, "RSS MB (web)");
    reportOver(results);
    const peakMb = Math.max(idleMb, ...results.map((r) => r.rssMb));
    say(
      `\npeak RSS of the web process: ${peakMb.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB, ratio ${(peakMb / RSS_TARGET_MB).toFixed(2)} ${peakMb < RSS_TARGET_MB ? "ok" : "OVER"})`,
    );
  } finally {
    await server.stop();
  }
}

function reportOver(results: readonly Result[]): void {
  const over = results.filter((r) => r.target !== null && r.p95 > r.target);
  say(
    over.length === 0 ? "every list p95 is within its target" : `${over.length} measurement(s) over target`,
  );
}

function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1).padStart(8) : "     n/a";
}

function printResults(results: Result[], rssLabel = "RSS MB"): void {
  const header = `${"scenario".padEnd(52)} ${"callers".padStart(7)} ${"calls".padStart(5)} ${"errors".padStart(6)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"calls/s".padStart(7)} ${rssLabel.padStart(6)}  target p95   p95/target`;
  say(header);
  say("-".repeat(header.length));
  for (const r of results) {
    const target = r.target === null ? "     —" : `< ${String(r.target).padStart(4)} ms`;
    const ratio =
      r.target === null
        ? ""
        : `${(r.p95 / r.target).toFixed(2).padStart(6)} ${r.p95 <= r.target ? "ok" : "OVER"}`;
    say(
      `${r.name.padEnd(52)} ${String(r.callers).padStart(7)} ${String(r.calls).padStart(5)} ${String(r.errors).padStart(6)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${r.perSecond.toFixed(0).padStart(7)} ${r.rssMb.toFixed(0).padStart(6)}  ${target}   ${ratio}`,
    );
    if (r.firstError) say(`    first error: ${r.firstError}`);
  }
}

async function main(): Promise<void> {
  const reuse = process.env.SITEPOD_BENCH_DATABASE;
  if (!process.env.SITEPOD_BENCH_SEEDED_HERE) {
    say(
      `Sitepod scale benchmark: scale ${SCALE} (${CUSTOMERS.toLocaleString()} customers under ${PROVIDERS} providers, ${SITES.toLocaleString()} sites, ${USERS} users, ${(SITES * CHANGES_PER_SITE).toLocaleString()} change-log rows), ${CONCURRENCY} concurrent callers, ${CALLS} calls each`,
    );
    say(
      `  load average at the start (1/5/15 min): ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" / ")}`,
    );
  }
  if (!reuse) {
    // Seed here, measure in a fresh process: the seed's rows would otherwise stay in this one's RSS
    // (V8 keeps the pages it grew to), which is not what a web process holds.
    const db = await createTestDatabase();
    say(`  database ${db.name}`);
    try {
      await seed(db.prisma);
      await db.prisma.$disconnect();
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
          stdio: "inherit",
          env: { ...process.env, SITEPOD_BENCH_DATABASE: db.name, SITEPOD_BENCH_SEEDED_HERE: "1" },
        });
        child.on("error", reject);
        child.on("exit", (exitCode) => resolve(exitCode ?? 1));
      });
      if (code !== 0) process.exitCode = code;
    } finally {
      if (process.env.SITEPOD_BENCH_KEEP === "1") {
        say(`kept database ${db.name} (SITEPOD_BENCH_DATABASE=${db.name} reuses it)`);
      } else {
        await db.drop();
      }
    }
    return;
  }
  const client = createPrismaClient(testDatabaseUrl(reuse));
  if (!process.env.SITEPOD_BENCH_SEEDED_HERE) say(`  reusing database ${reuse}`);
  setPrismaClient(client);
  try {
    const seeded = await describeSeed(client);
    (globalThis as { gc?: () => void }).gc?.();
    peakRss = 0;
    sampleRss();
    say(`  RSS before the measurements: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
    if (TRANSPORT !== "http") await runInProcessPhase(seeded);
    if (TRANSPORT !== "inprocess") await runHttpPhase(seeded, testDatabaseUrl(reuse));
    // Another process's work on a shared 2-core machine shows in every figure: say how busy it was.
    say(
      `\nload average at the end (1/5/15 min): ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" / ")}`,
    );
  } finally {
    await client.$disconnect();
  }
}

/** The in-process phase: the services the routes call, timed in this process. */
async function runInProcessPhase(seeded: Seeded): Promise<void> {
  say("\nIn process: the services the routes and pages call, in this process");
  const chosen = scenarios(seeded).filter((sc) => sc.name.includes(ONLY));
  const results: Result[] = [];
  for (const scenario of chosen) {
    // Warm: the first call compiles the query plan and fills the pool.
    await scenario.run().catch(() => {});
    results.push(await measure(scenario, 1, Math.min(CALLS, 30)));
    results.push(await measure(scenario, CONCURRENCY, CALLS));
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  printResults(results);
  const rssMb = peakRss / 1024 / 1024;
  say(
    `\npeak RSS of this process: ${rssMb.toFixed(0)} MB (the services, the measuring code and its ${CONCURRENCY} callers in one process)`,
  );
  reportOver(results);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
