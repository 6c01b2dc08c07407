import { describe, expect, it } from "vitest";
import { LIMIT_SPECS } from "@/lib/validation/plan";
import { ACCOUNT_LABEL, MANAGED_BY_LABEL, SPEC_HASH_ANNOTATION } from "./labels";
import {
  buildPlanLimitRange,
  buildPlanObjects,
  buildPlanQuota,
  effectivePlanLimits,
  PLAN_LIMIT_RANGE_NAME,
  PLAN_QUOTA_NAME,
  type PlanResourceLimits,
} from "./plan-quota";
import { buildSiteDeployment } from "./site";
import { buildSuspendedDeployment } from "./suspended-page";
import { examplePageSettings, exampleSettings, exampleSiteSpec } from "./test-fixtures";

const account = { accountId: "acct456", accountSlug: "acme" };
const plan: PlanResourceLimits = {
  maxSites: 3,
  maxCronJobs: 5,
  storageGiB: 20,
  cpuMillicores: 1000,
  memoryMiB: 2048,
};
/** The smallest plan that should run one site with the default resources. */
const minimalPlan: PlanResourceLimits = {
  maxSites: 1,
  maxCronJobs: 0,
  storageGiB: 5,
  cpuMillicores: 500,
  memoryMiB: 512,
};

interface QuotaShape {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: { hard: Record<string, string> };
}
interface Resources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}
interface PodShape {
  spec: { replicas: number; template: { spec: { containers: { resources: Resources }[] } } };
}

/** Millicores or bytes of the quantities these builders write (m, Mi, Gi, plain cores). */
function amount(quantity: string): number {
  const match = /^([0-9.]+)(m|Mi|Gi)?$/.exec(quantity);
  if (!match) throw new Error(`unexpected quantity ${quantity}`);
  const value = Number(match[1]);
  switch (match[2]) {
    case "m":
      return value;
    case "Mi":
      return value * 2 ** 20;
    case "Gi":
      return value * 2 ** 30;
    default:
      return value * 1000; // cores, compared in millicores
  }
}

function podTotals(obj: unknown): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const c of (obj as PodShape).spec.template.spec.containers) {
    for (const [kind, values] of [
      ["requests", c.resources.requests],
      ["limits", c.resources.limits],
    ] as const) {
      for (const [resource, q] of Object.entries(values)) {
        const key = `${kind}.${resource}`;
        totals[key] = (totals[key] ?? 0) + amount(q);
      }
    }
  }
  return totals;
}

describe("plan quota", () => {
  it("turns the plan's limits into a ResourceQuota in the account's namespace", () => {
    const quota = buildPlanQuota(account, plan) as unknown as QuotaShape;
    expect(quota.metadata).toMatchObject({ name: PLAN_QUOTA_NAME, namespace: "sp-acme" });
    expect(quota.metadata.labels).toMatchObject({
      [MANAGED_BY_LABEL]: "sitepod",
      [ACCOUNT_LABEL]: "acct456",
    });
    expect(quota.metadata.annotations[SPEC_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{20}$/);
    expect(quota.spec.hard).toEqual({
      "requests.cpu": "1000m",
      "limits.cpu": "4000m",
      "requests.memory": "2048Mi",
      "limits.memory": "2048Mi",
      "requests.storage": "20Gi",
      persistentvolumeclaims: "3",
      pods: "12",
    });
  });

  it("changes its spec hash when the plan changes, so the reconciler applies it again", () => {
    const before = buildPlanQuota(account, plan).metadata.annotations[SPEC_HASH_ANNOTATION];
    const after = buildPlanQuota(account, { ...plan, memoryMiB: 4096 }).metadata.annotations[
      SPEC_HASH_ANNOTATION
    ];
    expect(after).not.toBe(before);
  });

  it("renders a quota and defaults for every account, with a plan or without", () => {
    for (const belowAllotment of [true, false]) {
      for (const p of [plan, null]) {
        const limits = effectivePlanLimits(p, { belowAllotment });
        expect(buildPlanObjects(account, limits).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
          `LimitRange/${PLAN_LIMIT_RANGE_NAME}`,
          `ResourceQuota/${PLAN_QUOTA_NAME}`,
        ]);
      }
    }
  });

  it("uses the plan's limits, wherever the account is", () => {
    expect(effectivePlanLimits(plan, { belowAllotment: true })).toEqual(plan);
    expect(effectivePlanLimits(plan, { belowAllotment: false })).toEqual(plan);
  });

  it("gives an account without a plan below an allotment nothing: it counts against the allotment in full", () => {
    const hard = (
      buildPlanQuota(account, effectivePlanLimits(null, { belowAllotment: true })) as unknown as QuotaShape
    ).spec.hard;
    for (const key of [
      "requests.cpu",
      "limits.cpu",
      "requests.memory",
      "limits.memory",
      "requests.storage",
    ]) {
      expect(amount(hard[key] ?? ""), key).toBe(0);
    }
    expect(hard.persistentvolumeclaims).toBe("0");
    // A site's pod does not fit.
    const totals = podTotals(buildSiteDeployment(exampleSiteSpec(), exampleSettings, { uid: "u" }));
    expect(totals["requests.cpu"]).toBeGreaterThan(amount(hard["requests.cpu"] ?? ""));
  });

  it("gives any other account without a plan (no limits) a quota as large as any plan may be", () => {
    const unlimited = effectivePlanLimits(null, { belowAllotment: false });
    expect(unlimited).toEqual({
      maxSites: LIMIT_SPECS.maxSites.max,
      maxCronJobs: LIMIT_SPECS.maxCronJobs.max,
      storageGiB: LIMIT_SPECS.storageGiB.max,
      cpuMillicores: LIMIT_SPECS.cpuMillicores.max,
      memoryMiB: LIMIT_SPECS.memoryMiB.max,
    });
  });

  it("gives containers that state no resources defaults no larger than their limits", () => {
    const lr = buildPlanLimitRange(account) as unknown as {
      spec: {
        limits: { type: string; _default: Record<string, string>; defaultRequest: Record<string, string> }[];
      };
    };
    const [container] = lr.spec.limits;
    expect(container?.type).toBe("Container");
    for (const r of ["cpu", "memory"]) {
      expect(amount(container?.defaultRequest[r] ?? "")).toBeLessThanOrEqual(
        amount(container?._default[r] ?? ""),
      );
    }
  });

  it("admits a site's pod and the suspended page under the smallest plan that sells one site", () => {
    const hard = (buildPlanQuota(account, minimalPlan) as unknown as QuotaShape).spec.hard;
    for (const pod of [
      buildSiteDeployment(exampleSiteSpec(), exampleSettings, { uid: "u" }),
      buildSuspendedDeployment(account, examplePageSettings),
    ]) {
      const totals = podTotals(pod);
      for (const key of ["requests.cpu", "limits.cpu", "requests.memory", "limits.memory"]) {
        expect(totals[key], key).toBeGreaterThan(0);
        expect(totals[key], key).toBeLessThanOrEqual(amount(hard[key] ?? "0"));
      }
    }
    expect(amount(hard["requests.storage"] ?? "0")).toBeGreaterThanOrEqual(
      amount(exampleSiteSpec().storageSize),
    );
    expect(Number(hard.pods)).toBeGreaterThanOrEqual(2);
  });
});
