import { describe, expect, it } from "vitest";
import { clusterRole } from "./cluster-actor";
import type { ClusterUser } from "./front-proxy";
import {
  type Decision,
  forbiddenMessage,
  requestAttributes,
  type SubjectAccessReviewBody,
  SubjectAccessReviewer,
  subjectAccessReview,
} from "./subject-access-review";

const BASE = "/apis/hosting.sitepod.io/v1alpha1";
const q = (s = "") => new URLSearchParams(s);
const alice: ClusterUser = {
  username: "alice",
  uid: "",
  groups: ["devs", "system:authenticated"],
  extra: {},
};

describe("requestAttributes", () => {
  it.each([
    ["GET", `${BASE}/namespaces/acme/sites`, "", "list", "acme", "", ""],
    ["GET", `${BASE}/namespaces/acme/sites`, "watch=true", "watch", "acme", "", ""],
    ["GET", `${BASE}/namespaces/acme/sites`, "watch=0", "list", "acme", "", ""],
    ["GET", `${BASE}/sites`, "watch=1", "watch", "", "", ""],
    ["GET", `${BASE}/namespaces/acme/sites/blog`, "", "get", "acme", "blog", ""],
    ["HEAD", `${BASE}/namespaces/acme/sites/blog`, "", "get", "acme", "blog", ""],
    ["POST", `${BASE}/namespaces/acme/sites`, "", "create", "acme", "", ""],
    ["PUT", `${BASE}/namespaces/acme/sites/blog`, "", "update", "acme", "blog", ""],
    ["PATCH", `${BASE}/namespaces/acme/sites/blog`, "", "patch", "acme", "blog", ""],
    ["DELETE", `${BASE}/namespaces/acme/sites/blog`, "", "delete", "acme", "blog", ""],
    ["DELETE", `${BASE}/namespaces/acme/sites`, "", "deletecollection", "acme", "", ""],
    ["PUT", `${BASE}/namespaces/acme/sites/blog/status`, "", "update", "acme", "blog", "status"],
    ["GET", `${BASE}/accounts/acme`, "", "get", "", "acme", ""],
  ])("%s %s?%s is %s", (method, path, params, verb, namespace, name, subresource) => {
    expect(requestAttributes(method, path, q(params))).toEqual({
      kind: "resource",
      verb,
      group: "hosting.sitepod.io",
      version: "v1alpha1",
      resource: path.includes("/accounts") ? "accounts" : "sites",
      subresource,
      namespace,
      name,
    });
  });

  it("treats discovery, OpenAPI and /version as non-resource paths", () => {
    for (const path of [
      "/apis",
      "/apis/hosting.sitepod.io",
      BASE,
      "/openapi/v3",
      "/openapi/v2",
      "/version",
      "/api",
    ]) {
      expect(requestAttributes("GET", path, q())).toEqual({ kind: "nonResource", verb: "get", path });
    }
  });
});

describe("subjectAccessReview", () => {
  it("asks about the user, groups, extras and the request's resource attributes", () => {
    const body = subjectAccessReview(
      { ...alice, uid: "u-1", extra: { scopes: ["a"] } },
      requestAttributes("GET", `${BASE}/namespaces/acme/sites/blog`, q()),
    );
    expect(body).toEqual({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: {
        user: "alice",
        uid: "u-1",
        groups: ["devs", "system:authenticated"],
        extra: { scopes: ["a"] },
        resourceAttributes: {
          namespace: "acme",
          name: "blog",
          verb: "get",
          group: "hosting.sitepod.io",
          version: "v1alpha1",
          resource: "sites",
        },
      },
    });
  });

  it("leaves out the namespace at cluster scope, and asks about the path for non-resource requests", () => {
    expect(
      subjectAccessReview(alice, requestAttributes("GET", `${BASE}/sites`, q())).spec.resourceAttributes,
    ).toEqual({
      verb: "list",
      group: "hosting.sitepod.io",
      version: "v1alpha1",
      resource: "sites",
    });
    expect(subjectAccessReview(alice, requestAttributes("GET", "/apis", q())).spec).toEqual({
      user: "alice",
      groups: ["devs", "system:authenticated"],
      nonResourceAttributes: { path: "/apis", verb: "get" },
    });
  });
});

describe("forbiddenMessage", () => {
  it("words refusals as kube-apiserver does", () => {
    expect(forbiddenMessage(alice, requestAttributes("GET", `${BASE}/namespaces/acme/sites`, q()), "")).toBe(
      'User "alice" cannot list resource "sites" in API group "hosting.sitepod.io" in the namespace "acme"',
    );
    expect(
      forbiddenMessage(alice, requestAttributes("GET", `${BASE}/sites`, q("watch=1")), "no binding"),
    ).toBe(
      'User "alice" cannot watch resource "sites" in API group "hosting.sitepod.io" at the cluster scope: no binding',
    );
    expect(forbiddenMessage(alice, requestAttributes("GET", "/openapi/v3", q()), "")).toBe(
      'User "alice" cannot get path "/openapi/v3"',
    );
  });
});

function fakeCluster(decide: (body: SubjectAccessReviewBody) => boolean) {
  const asked: SubjectAccessReviewBody[] = [];
  let now = 1_000;
  const pending: (() => void)[] = [];
  let hold = false;
  const reviewer = new SubjectAccessReviewer({
    review: (body) => {
      asked.push(body);
      const decision: Decision = { allowed: decide(body), reason: "" };
      if (!hold) return Promise.resolve(decision);
      return new Promise((resolve) => pending.push(() => resolve(decision)));
    },
    now: () => now,
    maxEntries: 3,
  });
  return {
    reviewer,
    asked,
    advance: (ms: number) => {
      now += ms;
    },
    hold: () => {
      hold = true;
    },
    release: () => {
      for (const done of pending.splice(0)) done();
    },
  };
}

const list = (ns: string) => requestAttributes("GET", `${BASE}/namespaces/${ns}/sites`, q());

describe("SubjectAccessReviewer", () => {
  it("asks the cluster once per question within 10 s, and again after", async () => {
    const cluster = fakeCluster((b) => b.spec.resourceAttributes?.namespace === "acme");
    expect(await cluster.reviewer.authorize(alice, list("acme"))).toEqual({ allowed: true, reason: "" });
    expect(await cluster.reviewer.authorize(alice, list("other"))).toEqual({ allowed: false, reason: "" });
    cluster.advance(9_999);
    await cluster.reviewer.authorize(alice, list("acme"));
    await cluster.reviewer.authorize(alice, list("other"));
    expect(cluster.asked).toHaveLength(2);
    cluster.advance(1);
    await cluster.reviewer.authorize(alice, list("acme"));
    expect(cluster.asked).toHaveLength(3);
  });

  it("keeps decisions apart per user, groups and request", async () => {
    const cluster = fakeCluster(() => true);
    await cluster.reviewer.authorize(alice, list("acme"));
    await cluster.reviewer.authorize({ ...alice, username: "bob" }, list("acme"));
    await cluster.reviewer.authorize({ ...alice, groups: ["devs"] }, list("acme"));
    await cluster.reviewer.authorize(
      alice,
      requestAttributes("DELETE", `${BASE}/namespaces/acme/sites/x`, q()),
    );
    expect(cluster.asked).toHaveLength(4);
  });

  it("holds at most maxEntries decisions, dropping the oldest", async () => {
    const cluster = fakeCluster(() => true);
    for (const ns of ["a", "b", "c", "d"]) await cluster.reviewer.authorize(alice, list(ns));
    expect(cluster.reviewer.size).toBe(3);
    await cluster.reviewer.authorize(alice, list("d"));
    expect(cluster.asked).toHaveLength(4);
    await cluster.reviewer.authorize(alice, list("a"));
    expect(cluster.asked).toHaveLength(5);
  });

  it("shares one review among identical questions in flight", async () => {
    const cluster = fakeCluster(() => true);
    cluster.hold();
    const both = Promise.all([
      cluster.reviewer.authorize(alice, list("acme")),
      cluster.reviewer.authorize(alice, list("acme")),
    ]);
    cluster.release();
    expect(await both).toEqual([
      { allowed: true, reason: "" },
      { allowed: true, reason: "" },
    ]);
    expect(cluster.asked).toHaveLength(1);
  });

  it("does not keep a failed review", async () => {
    let fail = true;
    const reviewer = new SubjectAccessReviewer({
      review: async () => {
        if (fail) throw new Error("cluster down");
        return { allowed: true, reason: "" };
      },
    });
    await expect(reviewer.authorize(alice, list("acme"))).rejects.toThrow("cluster down");
    fail = false;
    expect(await reviewer.authorize(alice, list("acme"))).toEqual({ allowed: true, reason: "" });
  });

  it("allows system:masters (the aggregator's own discovery) without asking", async () => {
    const cluster = fakeCluster(() => false);
    const aggregator: ClusterUser = {
      username: "system:kube-aggregator",
      uid: "",
      groups: ["system:masters"],
      extra: {},
    };
    expect(await cluster.reviewer.authorize(aggregator, requestAttributes("GET", BASE, q()))).toEqual({
      allowed: true,
      reason: "",
    });
    expect(cluster.asked).toHaveLength(0);
  });
});

describe("clusterRole", () => {
  it("reads with VIEWER's rights and writes with ADMIN's", () => {
    expect(["get", "list", "watch"].map(clusterRole)).toEqual(["VIEWER", "VIEWER", "VIEWER"]);
    expect(["create", "update", "patch", "delete", "deletecollection"].map(clusterRole)).toEqual([
      "ADMIN",
      "ADMIN",
      "ADMIN",
      "ADMIN",
      "ADMIN",
    ]);
  });
});
