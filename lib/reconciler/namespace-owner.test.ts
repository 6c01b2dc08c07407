import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { namespaceOwnership } from "./namespace-owner";
import type { ReconcileContext } from "./context";

const account = { id: "acc1", slug: "acme" };
const ours = { "app.kubernetes.io/managed-by": "sitepod", "sitepod.io/account": "acc1" };

/** The reconcile context namespaceOwnership uses: the informer cache and live reads, counted. */
function context(options: { cached?: KubernetesObject; live?: KubernetesObject }) {
  const reads: string[] = [];
  const ctx = {
    observed: {
      get: (kind: string, name: string) =>
        kind === "Namespace" && name === "sp-acme" ? options.cached : undefined,
      labelled: () => [],
      labelValues: () => [],
    },
    writer: {
      read: async (ref: { metadata: { name: string } }) => {
        reads.push(ref.metadata.name);
        return options.live;
      },
    },
  } as unknown as ReconcileContext;
  return { ctx, reads };
}

const namespace = (labels: Record<string, string> | undefined): KubernetesObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name: "sp-acme", ...(labels ? { labels } : {}) },
});

describe("namespaceOwnership", () => {
  it("finds the account's own namespace in the cache without calling the API server", async () => {
    const { ctx, reads } = context({ cached: namespace(ours) });
    expect((await namespaceOwnership(ctx, account)).owner).toBe("this-account");
    expect(reads).toEqual([]);
  });

  it("reads a namespace missing from the cache live: none there means none", async () => {
    const { ctx, reads } = context({});
    expect(await namespaceOwnership(ctx, account)).toEqual({ owner: "none" });
    expect(reads).toEqual(["sp-acme"]);
  });

  it.each([
    ["no labels at all", undefined],
    ["someone else's labels", { team: "payments" }],
    ["Sitepod's label without the account's", { "app.kubernetes.io/managed-by": "sitepod" }],
    ["the account's label without Sitepod's", { "sitepod.io/account": "acc1" }],
    ["another account's labels", { ...ours, "sitepod.io/account": "acc2" }],
  ])("is someone else's with %s, and says what to do", async (_what, labels) => {
    const { ctx } = context({ live: namespace(labels) });
    const result = await namespaceOwnership(ctx, account);
    expect(result.owner).toBe("someone-else");
    expect(result.owner === "someone-else" && result.message).toBe(
      "Namespace sp-acme already exists and is not this account's (it lacks Sitepod's labels for it), so Sitepod leaves it untouched. A cluster administrator must delete it, or move what it holds elsewhere, before this account's sites can run.",
    );
  });

  it("is someone else's when the cache holds it with another account's labels", async () => {
    const { ctx, reads } = context({ cached: namespace({ ...ours, "sitepod.io/account": "acc2" }) });
    expect((await namespaceOwnership(ctx, account)).owner).toBe("someone-else");
    expect(reads).toEqual([]);
  });
});
