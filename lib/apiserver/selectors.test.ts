import { describe, expect, it } from "vitest";
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from "./selectors";

describe("parseLabelSelector", () => {
  it("parses equality, inequality, sets, existence and their negations", () => {
    expect(parseLabelSelector("app=blog, tier!=cache,env in (prod, staging),!legacy,owner,x==y")).toEqual([
      { key: "app", op: "=", values: ["blog"] },
      { key: "tier", op: "!=", values: ["cache"] },
      { key: "env", op: "in", values: ["prod", "staging"] },
      { key: "legacy", op: "!exists" },
      { key: "owner", op: "exists" },
      { key: "x", op: "=", values: ["y"] },
    ]);
    expect(parseLabelSelector("example.com/team notin (a,b)")).toEqual([
      { key: "example.com/team", op: "notin", values: ["a", "b"] },
    ]);
    expect(parseLabelSelector("")).toEqual([]);
    expect(parseLabelSelector("app=")).toEqual([{ key: "app", op: "=", values: [""] }]);
  });

  it("refuses what Kubernetes refuses, saying what it expected", () => {
    expect(() => parseLabelSelector("app=blog=x")).toThrow(SelectorError);
    expect(() => parseLabelSelector("app in blog")).toThrow(/expected: '\('/);
    expect(() => parseLabelSelector("-bad=x")).toThrow(/invalid label key/);
    expect(() => parseLabelSelector("app=-x")).toThrow(/invalid label value/);
    expect(() => parseLabelSelector("a,,b")).toThrow(SelectorError);
  });
});

describe("matchesLabels", () => {
  const labels = { app: "blog", env: "prod" };
  it.each([
    ["app=blog", true],
    ["app=shop", false],
    ["app!=shop", true],
    ["missing!=x", true],
    ["env in (prod,staging)", true],
    ["env notin (prod)", false],
    ["app", true],
    ["!app", false],
    ["!missing", true],
    ["app=blog,env=staging", false],
    ["", true],
  ])("%s -> %s", (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it("compares numbers for gt and lt", () => {
    expect(matchesLabels(parseLabelSelector("n>5"), { n: "10" })).toBe(true);
    expect(matchesLabels(parseLabelSelector("n<5"), { n: "10" })).toBe(false);
    expect(matchesLabels(parseLabelSelector("n>5"), { n: "x" })).toBe(false);
  });
});

describe("field selectors", () => {
  const supported = ["metadata.name", "metadata.namespace"];
  it("parses and matches metadata.name and metadata.namespace", () => {
    const selector = parseFieldSelector("metadata.name=blog,metadata.namespace!=acme", supported);
    expect(matchesFields(selector, { "metadata.name": "blog", "metadata.namespace": "globex" })).toBe(true);
    expect(matchesFields(selector, { "metadata.name": "blog", "metadata.namespace": "acme" })).toBe(false);
    expect(parseFieldSelector("metadata.name==a\\,b", supported)).toEqual([
      { field: "metadata.name", op: "=", value: "a,b" },
    ]);
  });

  it("refuses fields the resource does not support", () => {
    expect(() => parseFieldSelector("spec.app=PHP", supported)).toThrow(
      "field label not supported: spec.app",
    );
    expect(() => parseFieldSelector("metadata.name", supported)).toThrow(SelectorError);
  });
});
