import { describe, expect, it } from "vitest";
import { metadataProblems, unknownFields } from "./fields";
import { negotiate } from "./http";
import { siteSpecSchema } from "./resources/site";
import { watchTimeout } from "./watch/watch-stream";

describe("unknownFields", () => {
  it("names fields the kind does not declare, inside objects and list items", () => {
    const object = {
      apiVersion: "hosting.sitepod.io/v1alpha1",
      kind: "Site",
      metadata: { name: "blog", labels: { a: "b" }, colour: "x" },
      spec: {
        primaryDomain: "blog.test",
        php: { memoryLimit: "1G", memoryLimt: "1G" },
        env: [{ name: "A", value: "1", secrte: true }],
        extra: 1,
      },
      status: { anything: true },
      more: 1,
    };
    expect(unknownFields(object, siteSpecSchema)).toEqual([
      "metadata.colour",
      "spec.php.memoryLimt",
      "spec.env[0].secrte",
      "spec.extra",
      "more",
    ]);
  });
});

describe("metadataProblems", () => {
  it("checks label keys and values and annotation keys as Kubernetes does", () => {
    expect(
      metadataProblems({ labels: { "example.com/team": "web", ok: "" }, annotations: { "a/b": "any text" } }),
    ).toEqual([]);
    const causes = metadataProblems({ labels: { "-bad": "x", good: "not ok!" }, annotations: { "": "x" } });
    expect(causes.map((c) => c.field)).toEqual([
      "metadata.labels",
      "metadata.labels",
      "metadata.annotations",
    ]);
    expect(causes[1]?.message).toContain('"not ok!"');
  });

  it("limits annotations to 256 KiB in all", () => {
    const [cause] = metadataProblems({ annotations: { big: "x".repeat(256 * 1024) } });
    expect(cause).toMatchObject({ reason: "FieldValueTooLong", field: "metadata.annotations" });
  });
});

describe("negotiate", () => {
  it("takes what kubectl asks for, in order", () => {
    expect(
      negotiate(
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
      ),
    ).toMatchObject({ table: true });
    expect(
      negotiate("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"),
    ).toMatchObject({
      aggregatedDiscovery: true,
    });
    expect(negotiate("application/vnd.kubernetes.protobuf,application/json")).toMatchObject({
      json: true,
      table: false,
    });
    expect(negotiate(undefined)).toMatchObject({ json: true });
  });
});

describe("watchTimeout", () => {
  it("defaults and caps at 1800 s, refuses absurd or malformed values", () => {
    expect(watchTimeout(null)).toEqual({ seconds: 1800, warning: null });
    expect(watchTimeout("30")).toEqual({ seconds: 30, warning: null });
    expect(watchTimeout("3600")).toEqual({ seconds: 1800, warning: "timeoutSeconds 3600 capped to 1800" });
    expect(() => watchTimeout("100000")).toThrow(/at most 1800 seconds/);
    expect(() => watchTimeout("-1")).toThrow(/whole number/);
  });
});
