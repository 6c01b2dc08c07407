/**
 * Field ownership for server-side apply, as structured-merge-diff keeps it in
 * metadata.managedFields: which manager (kubectl, a controller...) set which fields, by Apply or by
 * Update. Pure functions on plain JSON; lib/apiserver/server-side-apply.ts uses them.
 *
 * What counts as a field: metadata.labels.<key>, metadata.annotations.<key> and every leaf under
 * spec. Lists are atomic (owned whole) except spec.env, a map keyed by name (as a Pod's env is).
 * status and the rest of metadata are the server's.
 */
import type { JsonObject, ManagedFieldsEntry } from "./types";

export type Segment = string | { key: string; value: string };
export type FieldPath = Segment[];

/** Lists whose items are owned one by one, by the value of a key field. */
const ASSOCIATIVE_LISTS: Record<string, string> = { "spec.env": "name" };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function plainPath(path: FieldPath): string {
  return path.map((s) => (typeof s === "string" ? s : `[${s.key}=${s.value}]`)).join(".");
}

/** A path as a set member (and as people read it in conflicts: .spec.env[name="A"].value). */
export function pathKey(path: FieldPath): string {
  let out = "";
  for (const s of path) out += typeof s === "string" ? `.${s}` : `[${s.key}="${s.value}"]`;
  return out;
}

function listKey(path: FieldPath): string | undefined {
  return ASSOCIATIVE_LISTS[path.filter((s) => typeof s === "string").join(".")];
}

function walk(value: unknown, path: FieldPath, out: Map<string, FieldPath>): void {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
    return;
  }
  if (Array.isArray(value)) {
    const key = listKey(path);
    if (key && value.every((item) => isObject(item) && typeof item[key] === "string")) {
      for (const item of value as Record<string, unknown>[]) {
        const itemPath: FieldPath = [...path, { key, value: item[key] as string }];
        out.set(pathKey(itemPath), itemPath);
        for (const [k, v] of Object.entries(item)) walk(v, [...itemPath, k], out);
      }
      return;
    }
  }
  out.set(pathKey(path), path);
}

/** The fields an object (or an applied configuration) sets. */
export function fieldsOf(object: Record<string, unknown>): Map<string, FieldPath> {
  const out = new Map<string, FieldPath>();
  const metadata = isObject(object.metadata) ? object.metadata : {};
  for (const field of ["labels", "annotations"] as const) {
    const map = metadata[field];
    if (isObject(map))
      for (const key of Object.keys(map))
        out.set(pathKey(["metadata", field, key]), ["metadata", field, key]);
  }
  if (isObject(object.spec)) for (const [k, v] of Object.entries(object.spec)) walk(v, ["spec", k], out);
  return out;
}

/** The value at a path, or undefined. */
export function valueAt(object: unknown, path: FieldPath): unknown {
  let current: unknown = object;
  for (const segment of path) {
    if (typeof segment === "string") {
      if (!isObject(current)) return undefined;
      current = current[segment];
    } else {
      if (!Array.isArray(current)) return undefined;
      current = current.find((item) => isObject(item) && item[segment.key] === segment.value);
    }
  }
  return current;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sets the value at a path, creating objects and keyed list items on the way. */
export function setAt(object: Record<string, unknown>, path: FieldPath, value: unknown): void {
  let current: unknown = object;
  path.forEach((segment, i) => {
    const last = i === path.length - 1;
    if (typeof segment === "string") {
      const parent = current as Record<string, unknown>;
      if (last) {
        parent[segment] = structuredClone(value);
        return;
      }
      const next = path[i + 1] as Segment;
      if (typeof next === "string" ? !isObject(parent[segment]) : !Array.isArray(parent[segment])) {
        parent[segment] = typeof next === "string" ? {} : [];
      }
      current = parent[segment];
    } else {
      const list = current as Record<string, unknown>[];
      let item = list.find((x) => isObject(x) && x[segment.key] === segment.value);
      if (!item) {
        item = { [segment.key]: segment.value };
        list.push(item);
      }
      if (last) {
        if (isObject(value)) Object.assign(item, structuredClone(value));
        return;
      }
      current = item;
    }
  });
}

/** Removes the value at a path (a keyed list item when the path ends with one). */
export function removeAt(object: Record<string, unknown>, path: FieldPath): void {
  const parent = valueAt(object, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (typeof last === "string") {
    if (isObject(parent)) delete parent[last];
  } else if (Array.isArray(parent)) {
    const index = parent.findIndex((x) => isObject(x) && x[last.key] === last.value);
    if (index >= 0) parent.splice(index, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// FieldsV1

/** Paths as FieldsV1: {"f:spec":{"f:php":{"f:memoryLimit":{}}}}, keyed items as "k:{...}". */
export function toFieldsV1(paths: Iterable<FieldPath>): JsonObject {
  const root: JsonObject = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      const key =
        typeof segment === "string"
          ? `f:${segment}`
          : `k:${JSON.stringify({ [segment.key]: segment.value })}`;
      node[key] ??= {};
      node = node[key] as JsonObject;
      if (typeof segment !== "string") node["."] ??= {};
    }
  }
  return root;
}

export function fromFieldsV1(fields: unknown, prefix: FieldPath = []): Map<string, FieldPath> {
  const out = new Map<string, FieldPath>();
  if (!isObject(fields)) return out;
  const children = Object.entries(fields).filter(([key]) => key !== ".");
  if (prefix.length > 0 && (children.length === 0 || Object.hasOwn(fields, "."))) {
    out.set(pathKey(prefix), prefix);
  }
  for (const [key, child] of children) {
    let segment: Segment | null = null;
    if (key.startsWith("f:")) segment = key.slice(2);
    else if (key.startsWith("k:")) {
      try {
        const parsed = JSON.parse(key.slice(2)) as Record<string, unknown>;
        const [k, v] = Object.entries(parsed)[0] ?? [];
        if (typeof k === "string" && typeof v === "string") segment = { key: k, value: v };
      } catch {
        segment = null;
      }
    }
    if (segment === null) continue;
    for (const [k, p] of fromFieldsV1(child, [...prefix, segment])) out.set(k, p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Managers

export interface Ownership {
  manager: string;
  operation: "Apply" | "Update";
  time: string;
  fields: Map<string, FieldPath>;
}

export function parseManagedFields(entries: readonly Record<string, unknown>[]): Ownership[] {
  return entries
    .filter((e) => typeof e.manager === "string" && (e.operation === "Apply" || e.operation === "Update"))
    .map((e) => ({
      manager: e.manager as string,
      operation: e.operation as "Apply" | "Update",
      time: typeof e.time === "string" ? e.time : new Date(0).toISOString(),
      fields: fromFieldsV1(e.fieldsV1),
    }));
}

export function toManagedFields(owners: readonly Ownership[], apiVersion: string): ManagedFieldsEntry[] {
  return owners
    .filter((o) => o.fields.size > 0)
    .map((o) => ({
      manager: o.manager,
      operation: o.operation,
      apiVersion,
      time: o.time,
      fieldsType: "FieldsV1" as const,
      fieldsV1: toFieldsV1(o.fields.values()),
    }));
}

/** Fields whose value differs between two objects (set in one and not the other included). */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Map<string, FieldPath> {
  const a = fieldsOf(before);
  const b = fieldsOf(after);
  const out = new Map<string, FieldPath>();
  for (const [key, path] of b)
    if (!sameValue(valueAt(before, path), valueAt(after, path))) out.set(key, path);
  for (const [key, path] of a) if (!b.has(key)) out.set(key, path);
  return out;
}

/**
 * An Update by `manager` (create, replace, patch): it takes the fields it changed from everyone
 * and owns them, with the fields it owned before that still exist.
 */
export function recordUpdate(
  owners: readonly Ownership[],
  manager: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  now: string,
): Ownership[] {
  const changed = changedFields(before, after);
  if (changed.size === 0) return [...owners];
  const live = fieldsOf(after);
  const out: Ownership[] = [];
  let mine: Ownership | undefined;
  for (const owner of owners) {
    const fields = new Map([...owner.fields].filter(([key]) => !changed.has(key) && live.has(key)));
    if (owner.manager === manager && owner.operation === "Update") {
      mine = { ...owner, fields, time: now };
      out.push(mine);
    } else {
      out.push({ ...owner, fields, time: fields.size === owner.fields.size ? owner.time : now });
    }
  }
  if (!mine) {
    mine = { manager, operation: "Update", time: now, fields: new Map() };
    out.push(mine);
  }
  for (const [key, path] of changed) if (live.has(key)) mine.fields.set(key, path);
  return out.filter((o) => o.fields.size > 0);
}

export interface Conflict {
  manager: string;
  operation: "Apply" | "Update";
  time: string;
  field: string;
}

export interface ApplyResult {
  object: Record<string, unknown>;
  owners: Ownership[];
}

/**
 * Server-side apply of `applied` (the manager's configuration) onto `live`: fields it sets take
 * its values; a field another manager owns with a different value is a conflict (unless `force`,
 * which takes it over); fields it set last time and no longer sets are removed unless someone else
 * owns them. Throws ApplyConflicts listing every conflict.
 */
export function apply(
  live: Record<string, unknown>,
  applied: Record<string, unknown>,
  owners: readonly Ownership[],
  manager: string,
  force: boolean,
  now: string,
): ApplyResult {
  const appliedFields = fieldsOf(applied);
  const conflicts: Conflict[] = [];
  for (const owner of owners) {
    if (owner.manager === manager && owner.operation === "Apply") continue;
    for (const [key, path] of appliedFields) {
      if (!owner.fields.has(key)) continue;
      if (!sameValue(valueAt(live, path), valueAt(applied, path))) {
        conflicts.push({ manager: owner.manager, operation: owner.operation, time: owner.time, field: key });
      }
    }
  }
  if (conflicts.length > 0 && !force) throw new ApplyConflicts(conflicts);
  const taken = new Set(conflicts.map((c) => c.field));

  const object = structuredClone(live);
  for (const path of appliedFields.values()) {
    const value = valueAt(applied, path);
    // A keyed list item is its fields; the item itself is created by setting them.
    if (typeof path[path.length - 1] !== "string") {
      if (valueAt(object, path) === undefined) setAt(object, path, {});
      continue;
    }
    setAt(object, path, value);
  }
  const previous = owners.find((o) => o.manager === manager && o.operation === "Apply");
  const others = owners.filter((o) => !(o.manager === manager && o.operation === "Apply"));
  if (previous) {
    for (const [key, path] of previous.fields) {
      if (appliedFields.has(key) || others.some((o) => o.fields.has(key))) continue;
      removeAt(object, path);
    }
  }
  const changed =
    !sameValue(object, live) || !previous || plainPaths(previous.fields) !== plainPaths(appliedFields);
  const nextOwners: Ownership[] = others
    .map((o) => {
      const fields = new Map([...o.fields].filter(([key]) => !taken.has(key)));
      return { ...o, fields, time: fields.size === o.fields.size ? o.time : now };
    })
    .filter((o) => o.fields.size > 0);
  nextOwners.push({
    manager,
    operation: "Apply",
    time: changed ? now : (previous?.time ?? now),
    fields: appliedFields,
  });
  return { object, owners: nextOwners };
}

function plainPaths(fields: Map<string, FieldPath>): string {
  return [...fields.values()].map(plainPath).sort().join("\n");
}

export class ApplyConflicts extends Error {
  override name = "ApplyConflicts";
  constructor(readonly conflicts: Conflict[]) {
    super(`Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}`);
  }
}
