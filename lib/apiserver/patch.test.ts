import { describe, expect, it } from "vitest";
import { applyJsonPatch, applyMergePatch, PatchError, parseJsonPatch } from "./patch";

describe("applyMergePatch (RFC 7386)", () => {
  it("merges objects, removes nulls and replaces lists whole", () => {
    const target = { spec: { a: 1, b: { c: 2, d: 3 }, list: [1, 2] }, keep: true };
    expect(applyMergePatch(target, { spec: { b: { c: null, e: 4 }, list: [3] } })).toEqual({
      spec: { a: 1, b: { d: 3, e: 4 }, list: [3] },
      keep: true,
    });
    expect(target.spec.b.c).toBe(2);
  });

  it("the RFC's examples", () => {
    expect(applyMergePatch({ a: "b" }, { a: "c" })).toEqual({ a: "c" });
    expect(applyMergePatch({ a: "b" }, { b: "c" })).toEqual({ a: "b", b: "c" });
    expect(applyMergePatch({ a: "b" }, { a: null })).toEqual({});
    expect(applyMergePatch({ a: [{ b: "c" }] }, { a: [1] })).toEqual({ a: [1] });
    expect(applyMergePatch(["a", "b"], ["c", "d"])).toEqual(["c", "d"]);
    expect(applyMergePatch({ a: "b" }, ["c"])).toEqual(["c"]);
    expect(applyMergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
    expect(applyMergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });
});

describe("applyJsonPatch (RFC 6902)", () => {
  const doc = { spec: { env: [{ name: "A" }, { name: "B" }], php: { memoryLimit: "128M" } } };

  it("adds, removes, replaces, moves, copies and tests", () => {
    const out = applyJsonPatch(
      doc,
      parseJsonPatch([
        { op: "test", path: "/spec/php/memoryLimit", value: "128M" },
        { op: "replace", path: "/spec/php/memoryLimit", value: "256M" },
        { op: "add", path: "/spec/env/-", value: { name: "C" } },
        { op: "add", path: "/spec/env/0", value: { name: "Z" } },
        { op: "remove", path: "/spec/env/1" },
        { op: "copy", from: "/spec/php", path: "/spec/phpCopy" },
        { op: "move", from: "/spec/phpCopy", path: "/spec/moved" },
        { op: "add", path: "/metadata~1x", value: 1 },
      ]),
    );
    expect(out).toEqual({
      spec: {
        env: [{ name: "Z" }, { name: "B" }, { name: "C" }],
        php: { memoryLimit: "256M" },
        moved: { memoryLimit: "256M" },
      },
      "metadata/x": 1,
    });
    expect(doc.spec.env).toHaveLength(2);
  });

  it("fails as a whole on a failed test or a missing path", () => {
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/spec/php/memoryLimit", value: "1G" }])).toThrow(
      "testing value /spec/php/memoryLimit failed",
    );
    expect(() => applyJsonPatch(doc, [{ op: "remove", path: "/spec/nothing" }])).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: "replace", path: "/spec/env/5", value: 1 }])).toThrow(
      /out of bounds/,
    );
    expect(() => applyJsonPatch(doc, [{ op: "add", path: "/no/such/parent", value: 1 }])).toThrow(
      /does not exist/,
    );
  });

  it("refuses documents that are not a list of operations", () => {
    expect(() => parseJsonPatch({ op: "add" })).toThrow(/list of operations/);
    expect(() => parseJsonPatch([{ op: "frobnicate", path: "/a" }])).toThrow(/unknown op/);
    expect(() => parseJsonPatch([{ op: "add", path: "/a" }])).toThrow(/needs "value"/);
  });
});
