/**
 * Shared by the reconciler's integration tests: seed accounts and sites the way the services do,
 * poll with deadlines, and list what Sitepod left in the cluster.
 */
import { randomBytes } from "node:crypto";
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  StorageV1Api,
} from "@kubernetes/client-node";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createClusterWriter } from "@/lib/k8s/apply";
import { SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { appendChange } from "@/lib/services/change-log/append-change";
import { generateSiteSecrets, openSiteSecrets, sealSiteSecrets } from "@/lib/services/site/site-secrets";
import { createSiteDbAdmin } from "@/lib/site-db/admin";
import { dropSiteDatabase } from "@/lib/site-db/drop-site-database";

import { eventually } from "@/tests/helpers/eventually";
import { listSiteKinds } from "./reconcile-site";

export { eventually };

export function randomSlug(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export async function createCustomerAccount(
  prisma: PrismaClient,
  slug: string,
): Promise<{ id: string; slug: string }> {
  const id = `acc${randomBytes(10).toString("hex")}`;
  await prisma.account.create({ data: { id, slug, name: slug, kind: "CUSTOMER", path: `/${id}/` } });
  return { id, slug };
}

/**
 * What createSite writes: the site, its primary domain (and any `aliases`), sealed secrets and a
 * CREATED change. A WordPress site unless `app` says otherwise.
 */
export async function createSiteRow(
  prisma: PrismaClient,
  options: { accountId: string; name: string; domain: string; app?: "WORDPRESS" | "PHP"; aliases?: string[] },
): Promise<{ id: string }> {
  return prisma.$transaction(async (tx) => {
    const site = await tx.site.create({
      data: {
        accountId: options.accountId,
        name: options.name,
        title: options.name,
        app: options.app ?? "WORDPRESS",
        // In the runtime catalog every test database starts with (tests/helpers/db.ts).
        phpVersion: "8.4",
        conditions: [],
        secretsCiphertext: sealSiteSecrets(
          generateSiteSecrets(options.name, { user: "admin", email: "owner@example.test" }),
        ),
        domains: {
          create: [
            { hostname: options.domain, isPrimary: true },
            ...(options.aliases ?? []).map((hostname) => ({ hostname, isPrimary: false })),
          ],
        },
      },
      select: { id: true },
    });
    await appendChange(tx, {
      kind: "Site",
      objectId: site.id,
      accountId: options.accountId,
      action: "CREATED",
      data: { name: options.name },
    });
    return site;
  });
}

/** What deleteSite writes. */
export async function requestSiteDeletion(
  prisma: PrismaClient,
  siteId: string,
  accountId: string,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.site.update({
      where: { id: siteId },
      data: { deletionRequestedAt: new Date(), phase: "DELETING", generation: { increment: 1 } },
    });
    await appendChange(tx, {
      kind: "Site",
      objectId: siteId,
      accountId,
      action: "UPDATED",
      data: { deletionRequested: true },
    });
  });
}

/** Every object labelled for the site, live from the API server, as "Kind/name" sorted. */
export async function listSiteObjects(kc: KubeConfig, siteId: string): Promise<KubernetesObject[]> {
  const objects = await listSiteKinds(createClusterWriter(kc), `${SITE_LABEL}=${siteId}`);
  return objects.map((o) => ({ ...o.object, kind: o.kind }));
}

/**
 * The objects the reconciler made, without those a CronJob made meanwhile (WordPress's cron may
 * fire during a test: its runs are the CronJob's, not leftovers).
 */
export function reconcilerObjects(objects: KubernetesObject[]): KubernetesObject[] {
  return objects.filter((o) => !o.metadata?.ownerReferences?.some((r) => r.kind === "CronJob"));
}

/** The parts of a site's HTTPRoute the tests look at, live from the API server. */
export async function readHttpRoute(
  kc: KubeConfig,
  name: string,
  namespace: string,
): Promise<{ hostnames: string[]; backends: string[]; parents: string[] }> {
  const route = (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
    group: "gateway.networking.k8s.io",
    version: "v1",
    namespace,
    plural: "httproutes",
    name,
  })) as {
    spec?: {
      hostnames?: string[];
      parentRefs?: { namespace?: string; name?: string }[];
      rules?: { backendRefs?: { name?: string }[] }[];
    };
  };
  return {
    hostnames: route.spec?.hostnames ?? [],
    backends: (route.spec?.rules ?? []).flatMap((r) => (r.backendRefs ?? []).map((b) => b.name ?? "")),
    parents: (route.spec?.parentRefs ?? []).map((p) => `${p.namespace}/${p.name}`),
  };
}

export function describeObjects(objects: KubernetesObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
}

/**
 * Deletes the namespaces and, unless `wait` is false, waits until each is gone. A suite that made
 * many namespaces full of objects passes false: the namespace controller empties them in the
 * background (on a loaded 2-core machine, beyond two minutes), and `cluster down` removes what is
 * left.
 */
export async function deleteNamespaces(
  kc: KubeConfig,
  names: string[],
  { wait = true }: { wait?: boolean } = {},
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await Promise.all(names.map((name) => core.deleteNamespace({ name }).catch(() => undefined)));
  if (!wait) return;
  await Promise.all(
    names.map((name) =>
      eventually(
        `namespace ${name} to be gone`,
        async () => {
          try {
            await core.readNamespace({ name });
            return undefined;
          } catch {
            return true;
          }
        },
        120_000,
      ),
    ),
  );
}

/**
 * Drops the MariaDB database and user of every site still in the test database: the reconciler
 * created them on the shared server, and only deleting a site drops them. Call before db.drop().
 */
export async function dropSiteDatabases(prisma: PrismaClient): Promise<void> {
  const sites = await prisma.site.findMany({ select: { secretsCiphertext: true } });
  const admin = createSiteDbAdmin();
  try {
    for (const site of sites) {
      let database: { name: string; user: string };
      try {
        database = openSiteSecrets(site.secretsCiphertext).database;
      } catch {
        continue; // unreadable secrets: the reconciler never created anything for this site
      }
      await dropSiteDatabase({ admin, name: database.name, user: database.user });
    }
  } finally {
    await admin.close();
  }
}

/** Whether a database exists on the sites' database server. */
export async function siteDatabaseExists(name: string): Promise<boolean> {
  const admin = createSiteDbAdmin();
  try {
    const rows = (await admin.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [
      name,
    ])) as unknown[];
    return rows.length > 0;
  } finally {
    await admin.close();
  }
}

/** A provider (reseller) account and a customer below it, as createAccount makes them. */
export async function createProviderAndCustomer(
  prisma: PrismaClient,
  slugs: { provider: string; customer: string },
): Promise<{ provider: { id: string; slug: string }; customer: { id: string; slug: string } }> {
  const providerId = `acc${randomBytes(10).toString("hex")}`;
  const customerId = `acc${randomBytes(10).toString("hex")}`;
  await prisma.account.create({
    data: {
      id: providerId,
      slug: slugs.provider,
      name: slugs.provider,
      kind: "RESELLER",
      path: `/${providerId}/`,
    },
  });
  await prisma.account.create({
    data: {
      id: customerId,
      slug: slugs.customer,
      name: slugs.customer,
      kind: "CUSTOMER",
      parentId: providerId,
      path: `/${providerId}/${customerId}/`,
    },
  });
  return {
    provider: { id: providerId, slug: slugs.provider },
    customer: { id: customerId, slug: slugs.customer },
  };
}

export interface PlanLimitsInput {
  maxSites: number;
  maxDomains: number;
  maxDatabases: number;
  maxCronJobs: number;
  storageGiB: number;
  cpuMillicores: number;
  memoryMiB: number;
  backupsKept: number;
}

/** What createPlan writes. */
export async function createPlanRow(
  prisma: PrismaClient,
  options: { ownerAccountId: string; name: string; limits: PlanLimitsInput },
): Promise<{ id: string }> {
  return prisma.$transaction(async (tx) => {
    const plan = await tx.plan.create({
      data: { ownerAccountId: options.ownerAccountId, name: options.name, ...options.limits },
      select: { id: true },
    });
    await appendChange(tx, {
      kind: "Plan",
      objectId: plan.id,
      accountId: options.ownerAccountId,
      action: "CREATED",
      data: { name: options.name },
    });
    return plan;
  });
}

/** What updatePlan writes. */
export async function updatePlanRow(
  prisma: PrismaClient,
  planId: string,
  limits: Partial<PlanLimitsInput>,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const plan = await tx.plan.update({ where: { id: planId }, data: limits });
    await appendChange(tx, {
      kind: "Plan",
      objectId: plan.id,
      accountId: plan.ownerAccountId,
      action: "UPDATED",
      data: { name: plan.name },
    });
  });
}

/** What assignPlan, suspendAccount, unsuspendAccount and requestAccountTermination write. */
export async function updateAccountRow(
  prisma: PrismaClient,
  accountId: string,
  data: {
    planId?: string | null;
    status?: "ACTIVE" | "SUSPENDED";
    suspendedReason?: string | null;
    terminationRequestedAt?: Date;
  },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.account.update({
      where: { id: accountId },
      data: {
        ...data,
        ...(data.status === "SUSPENDED" ? { suspendedAt: new Date() } : {}),
        ...(data.status === "ACTIVE" ? { suspendedAt: null } : {}),
      },
    });
    await appendChange(tx, {
      kind: "Account",
      objectId: accountId,
      accountId,
      action: "UPDATED",
      data: { ...data, terminationRequestedAt: data.terminationRequestedAt?.toISOString() },
    });
  });
}

/** The class site volumes get on kwok's nodes: the in-tree host-path provisioner binds at once. */
export const KWOK_STORAGE_CLASS = "sitepod-bench-hostpath";

/**
 * The settings that place every site pod on kwok's simulated nodes (kwokctl labels them type=kwok
 * and taints them), as an operator would place sites on a node pool: for benchmarks and tests of
 * many sites that need no real node and leave it alone.
 */
export function kwokPlacementEnv(): Record<string, string> {
  return {
    SITEPOD_SITE_NODE_SELECTOR: "type=kwok",
    SITEPOD_SITE_TOLERATIONS: "kwok.x-k8s.io/node=fake:NoSchedule",
    SITEPOD_STORAGE_CLASS: KWOK_STORAGE_CLASS,
  };
}

export async function ensureKwokStorageClass(kc: KubeConfig): Promise<void> {
  const storage = kc.makeApiClient(StorageV1Api);
  try {
    await storage.readStorageClass({ name: KWOK_STORAGE_CLASS });
  } catch {
    await storage.createStorageClass({
      body: {
        metadata: { name: KWOK_STORAGE_CLASS, labels: { "app.kubernetes.io/part-of": "sitepod-bench" } },
        provisioner: "kubernetes.io/host-path",
        reclaimPolicy: "Delete",
        volumeBindingMode: "Immediate",
      },
    });
  }
}
