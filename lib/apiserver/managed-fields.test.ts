import { describe, expect, it } from "vitest";
import {
  ApplyConflicts,
  apply,
  fieldsOf,
  fromFieldsV1,
  type Ownership,
  parseManagedFields,
  recordUpdate,
  toFieldsV1,
  toManagedFields,
} from "./managed-fields";

const T0 = "2026-01-01T00:00:00Z";
const T1 = "2026-01-02T00:00:00Z";

const live = {
  metadata: { name: "blog", labels: { team: "web" } },
  spec: {
    app: "PHP",
    php: { memoryLimit: "128M", opcache: true },
    env: [
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ],
  },
  status: { phase: "RUNNING" },
};

function keys(map: Map<string, unknown>): string[] {
  return [...map.keys()].sort();
}

describe("fieldsOf and FieldsV1", () => {
  it("names labels, annotations and spec leaves; env items by name", () => {
    expect(keys(fieldsOf(live))).toEqual([
      ".metadata.labels.team",
      ".spec.app",
      '.spec.env[name="A"]',
      '.spec.env[name="A"].name',
      '.spec.env[name="A"].value',
      '.spec.env[name="B"]',
      '.spec.env[name="B"].name',
      '.spec.env[name="B"].value',
      ".spec.php.memoryLimit",
      ".spec.php.opcache",
    ]);
  });

  it("round-trips through the FieldsV1 format", () => {
    const fields = fieldsOf(live);
    const v1 = toFieldsV1(fields.values());
    expect(v1).toMatchObject({
      "f:metadata": { "f:labels": { "f:team": {} } },
      "f:spec": {
        "f:php": { "f:memoryLimit": {} },
        "f:env": { 'k:{"name":"A"}': { ".": {}, "f:value": {} } },
      },
    });
    expect(keys(fromFieldsV1(v1))).toEqual(keys(fields));
  });
});

describe("apply", () => {
  const clientSideOwner: Ownership = {
    manager: "kubectl-edit",
    operation: "Update",
    time: T0,
    fields: fieldsOf({ spec: { php: { memoryLimit: "128M" } } }),
  };

  it("sets what the manager applies and owns it", () => {
    const result = apply(live, { spec: { php: { opcache: false } } }, [], "kubectl", false, T1);
    expect(result.object.spec).toMatchObject({ php: { memoryLimit: "128M", opcache: false } });
    expect(result.owners).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        time: T1,
        fields: fieldsOf({ spec: { php: { opcache: false } } }),
      },
    ]);
  });

  it("refuses a field another manager owns with another value, unless forced", () => {
    const applied = { spec: { php: { memoryLimit: "256M" } } };
    expect(() => apply(live, applied, [clientSideOwner], "kubectl", false, T1)).toThrow(ApplyConflicts);
    try {
      apply(live, applied, [clientSideOwner], "kubectl", false, T1);
    } catch (err) {
      expect((err as ApplyConflicts).conflicts).toEqual([
        { manager: "kubectl-edit", operation: "Update", time: T0, field: ".spec.php.memoryLimit" },
      ]);
    }
    const forced = apply(live, applied, [clientSideOwner], "kubectl", true, T1);
    expect((forced.object.spec as { php: { memoryLimit: string } }).php.memoryLimit).toBe("256M");
    expect(forced.owners.map((o) => o.manager)).toEqual(["kubectl"]);
  });

  it("shares a field applied with the value it has", () => {
    const result = apply(
      live,
      { spec: { php: { memoryLimit: "128M" } } },
      [clientSideOwner],
      "kubectl",
      false,
      T1,
    );
    expect(result.owners.map((o) => `${o.manager}:${keys(o.fields).join(",")}`)).toEqual([
      "kubectl-edit:.spec.php.memoryLimit",
      "kubectl:.spec.php.memoryLimit",
    ]);
  });

  it("removes what the manager applied before and no longer applies, unless someone else owns it", () => {
    const first = apply(
      live,
      { metadata: { labels: { a: "1", b: "2" } }, spec: { env: [{ name: "C", value: "3" }] } },
      [],
      "kubectl",
      false,
      T0,
    );
    const second = apply(
      first.object,
      { metadata: { labels: { a: "1" } } },
      first.owners,
      "kubectl",
      false,
      T1,
    );
    expect((second.object.metadata as { labels: Record<string, string> }).labels).toEqual({
      team: "web",
      a: "1",
    });
    expect((second.object.spec as { env: unknown[] }).env).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
  });

  it("keeps the manager's time when an apply changes nothing", () => {
    const first = apply(live, { spec: { app: "PHP" } }, [], "kubectl", false, T0);
    const again = apply(first.object, { spec: { app: "PHP" } }, first.owners, "kubectl", false, T1);
    expect(again.owners[0]?.time).toBe(T0);
  });
});

describe("recordUpdate and managedFields entries", () => {
  it("gives an updating manager the fields it changed, taking them from others", () => {
    const owners = parseManagedFields(
      toManagedFields(
        [
          {
            manager: "kubectl",
            operation: "Apply",
            time: T0,
            fields: fieldsOf({ spec: { php: { memoryLimit: "128M", opcache: true } } }),
          },
        ],
        "hosting.sitepod.io/v1alpha1",
      ) as unknown as Record<string, unknown>[],
    );
    const after = structuredClone(live);
    after.spec.php.memoryLimit = "512M";
    const next = recordUpdate(owners, "kubectl-patch", live, after, T1);
    expect(next.map((o) => `${o.manager}/${o.operation}:${keys(o.fields).join(",")}`)).toEqual([
      "kubectl/Apply:.spec.php.opcache",
      "kubectl-patch/Update:.spec.php.memoryLimit",
    ]);
  });
});
