import type { V1LimitRange, V1ResourceQuota } from "@kubernetes/client-node";
import { CPU_BURST_FACTOR } from "@/lib/quota/site-footprint";
import { LIMIT_SPECS } from "@/lib/validation/plan";
import type { AccountManifestSpec } from "./account";
import { withSpecHash } from "./hash";
import { accountLabels, accountNamespace } from "./labels";
import type { RenderedObject } from "./objects";

export const PLAN_QUOTA_NAME = "sitepod-plan";
export const PLAN_LIMIT_RANGE_NAME = "sitepod-defaults";

/** The plan limits that become cluster objects; the rest (domains, databases, backups) stay in MySQL. */
export interface PlanResourceLimits {
  maxSites: number;
  maxCronJobs: number;
  storageGiB: number;
  cpuMillicores: number;
  memoryMiB: number;
}

// CPU_BURST_FACTOR lives with siteFootprint, which renders site pods' limits with the same factor.
export { CPU_BURST_FACTOR };

/**
 * Per-container defaults for pods that state no resources (anything but the site Deployment, which
 * states its own); without them the quota would refuse such pods outright.
 */
export const CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: "25m", memory: "32Mi" },
  default: { cpu: "250m", memory: "128Mi" },
};

/**
 * One pod per site (sites run one: their volume is ReadWriteOnce), a second while a rolling update
 * surges or an old one is still terminating, one per cron job run, and the suspended page.
 */
export function podLimit(plan: PlanResourceLimits): number {
  return plan.maxSites * 2 + plan.maxCronJobs + 1;
}

/** The account's plan as a ResourceQuota: Kubernetes refuses whatever would exceed it. */
export function buildPlanQuota(spec: AccountManifestSpec, plan: PlanResourceLimits): RenderedObject {
  const quota = {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: {
      name: PLAN_QUOTA_NAME,
      namespace: accountNamespace(spec.accountSlug),
      labels: accountLabels(spec.accountId),
      annotations: {},
    },
    spec: {
      hard: {
        "requests.cpu": `${plan.cpuMillicores}m`,
        "limits.cpu": `${plan.cpuMillicores * CPU_BURST_FACTOR}m`,
        "requests.memory": `${plan.memoryMiB}Mi`,
        "limits.memory": `${plan.memoryMiB}Mi`,
        "requests.storage": `${plan.storageGiB}Gi`,
        // One files volume per site.
        persistentvolumeclaims: String(plan.maxSites),
        pods: String(podLimit(plan)),
      },
    },
  } satisfies V1ResourceQuota & RenderedObject;
  return withSpecHash(quota);
}

export function buildPlanLimitRange(spec: AccountManifestSpec): RenderedObject {
  const limitRange = {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: {
      name: PLAN_LIMIT_RANGE_NAME,
      namespace: accountNamespace(spec.accountSlug),
      labels: accountLabels(spec.accountId),
      annotations: {},
    },
    spec: {
      limits: [
        {
          type: "Container",
          defaultRequest: { ...CONTAINER_DEFAULTS.defaultRequest },
          _default: { ...CONTAINER_DEFAULTS.default },
        },
      ],
    },
  } satisfies V1LimitRange & RenderedObject;
  return withSpecHash(limitRange);
}

const NOTHING: PlanResourceLimits = {
  maxSites: 0,
  maxCronJobs: 0,
  storageGiB: 0,
  cpuMillicores: 0,
  memoryMiB: 0,
};

/** The largest plan Sitepod can express: no limit in practice. */
const UNLIMITED: PlanResourceLimits = {
  maxSites: LIMIT_SPECS.maxSites.max,
  maxCronJobs: LIMIT_SPECS.maxCronJobs.max,
  storageGiB: LIMIT_SPECS.storageGiB.max,
  cpuMillicores: LIMIT_SPECS.cpuMillicores.max,
  memoryMiB: LIMIT_SPECS.memoryMiB.max,
};

/**
 * What the namespace's quota enforces. No tenant namespace is without one. An account without a
 * plan below a reseller or agency with an allotment gets nothing: it may not grow, and what it
 * runs counts against the allotment in full (lib/services/quota/allotment-above.ts); pods it
 * already runs keep running (a quota never evicts), new ones wait for a plan. Any other account
 * without a plan has no limits by its provider's choice: its quota is the largest plan, so that
 * its usage is still counted and its pods still get the LimitRange's defaults.
 */
export function effectivePlanLimits(
  plan: PlanResourceLimits | null,
  options: { belowAllotment: boolean },
): PlanResourceLimits {
  if (plan) return plan;
  return options.belowAllotment ? NOTHING : UNLIMITED;
}

/** Quota and defaults of an account, from effectivePlanLimits. */
export function buildPlanObjects(spec: AccountManifestSpec, limits: PlanResourceLimits): RenderedObject[] {
  return [buildPlanLimitRange(spec), buildPlanQuota(spec, limits)];
}
