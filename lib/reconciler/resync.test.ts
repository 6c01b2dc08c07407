import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { labelledIn, labelValuesIn, type ObservedObject, type ObservedState } from "@/lib/k8s/informers";
import { ACCOUNT_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { planResync } from "./resync";

const object = (
  kind: "Deployment" | "Secret",
  name: string,
  labels: Record<string, string>,
): ObservedObject => ({
  kind,
  apiVersion: "v1",
  object: { metadata: { name, namespace: "sp-acme", labels } } as KubernetesObject,
});

function observedOf(objects: ObservedObject[]): ObservedState & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get: () => undefined,
    labelled: (label, value) => {
      reads.push(`${label}=${value}`);
      return labelledIn(objects, label, value);
    },
    labelValues: (label) => labelValuesIn(objects, label),
    served: () => true,
  };
}

/** The rows planResync reads: accounts (ours) and sites. */
function prismaWith(accounts: string[], sites: string[]) {
  return {
    account: {
      findMany: async (args: { where?: { id: { in: string[] } } }) =>
        accounts.filter((id) => !args.where || args.where.id.in.includes(id)).map((id) => ({ id })),
    },
    site: { findMany: async () => sites.map((id) => ({ id })) },
  } as unknown as PrismaClient;
}

describe("planResync", () => {
  it("queues every account and site, and a site of ours whose row is gone as an orphan", async () => {
    const observed = observedOf([
      object("Deployment", "blog", { [SITE_LABEL]: "s1", [ACCOUNT_LABEL]: "a1" }),
      object("Deployment", "gone", { [SITE_LABEL]: "s9", [ACCOUNT_LABEL]: "a1" }),
      object("Secret", "gone", { [SITE_LABEL]: "s9", [ACCOUNT_LABEL]: "a1" }),
      // Another installation's account on the same cluster: not ours to prune.
      object("Deployment", "theirs", { [SITE_LABEL]: "s7", [ACCOUNT_LABEL]: "elsewhere" }),
    ]);
    const plan = await planResync(prismaWith(["a1"], ["s1", "s2"]), observed, []);
    expect(plan.keys).toEqual(["account/a1", "site/s1", "site/s2", "site/s9"]);
    expect(plan.orphans).toEqual([{ siteId: "s9", accountId: "a1" }]);
    // Only the sites without a row were looked at object by object.
    expect(observed.reads.sort()).toEqual([`${SITE_LABEL}=s7`, `${SITE_LABEL}=s9`]);
  });
});
