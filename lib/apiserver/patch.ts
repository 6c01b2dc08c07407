/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902), the two patch types Kubernetes accepts
 * for custom resources (strategic merge patch needs Go struct tags, which these kinds have none
 * of). Pure functions on plain JSON; a patch that cannot apply throws PatchError.
 */
import type { Json, JsonObject } from "./types";

export class PatchError extends Error {
  override name = "PatchError";
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 7386: objects merge key by key, null removes, anything else replaces. */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

export interface JsonPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/"))
    throw new PatchError(`invalid JSON pointer "${pointer}": it must start with /`);
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function arrayIndex(array: Json[], token: string, allowEnd: boolean): number {
  if (allowEnd && token === "-") return array.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new PatchError(`invalid array index "${token}"`);
  const index = Number(token);
  if (index > array.length || (!allowEnd && index === array.length)) {
    throw new PatchError(`array index ${index} is out of bounds (length ${array.length})`);
  }
  return index;
}

function parentOf(doc: Json, tokens: string[], pointer: string): { parent: Json; last: string } {
  if (tokens.length === 0) throw new PatchError(`the path "${pointer}" names the whole document`);
  let current: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, false)] as Json;
    else if (isObject(current) && Object.hasOwn(current, token)) current = current[token] as Json;
    else throw new PatchError(`the path "${pointer}" does not exist`);
  }
  return { parent: current, last: tokens[tokens.length - 1] as string };
}

function getAt(doc: Json, pointer: string): Json {
  let current: Json = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, false)] as Json;
    else if (isObject(current) && Object.hasOwn(current, token)) current = current[token] as Json;
    else throw new PatchError(`the path "${pointer}" does not exist`);
  }
  return current;
}

function addAt(doc: Json, pointer: string, value: Json): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw new PatchError(`the path "${pointer}" is inside a value that is neither object nor array`);
  return doc;
}

function removeAt(doc: Json, pointer: string): Json {
  const { parent, last } = parentOf(doc, parsePointer(pointer), pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new PatchError(`the path "${pointer}" does not exist`);
  return doc;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i] as Json));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k] as Json, b[k] as Json))
    );
  }
  return false;
}

/** Checks the shape of a JSON patch document (a list of operations). */
export function parseJsonPatch(value: unknown): JsonPatchOperation[] {
  if (!Array.isArray(value)) throw new PatchError("a JSON patch must be a list of operations");
  return value.map((op, i) => {
    if (!isObject(op) || typeof op.op !== "string" || typeof op.path !== "string") {
      throw new PatchError(`operation ${i}: it needs "op" and "path"`);
    }
    if (!["add", "remove", "replace", "move", "copy", "test"].includes(op.op)) {
      throw new PatchError(`operation ${i}: unknown op "${op.op}"`);
    }
    if (["add", "replace", "test"].includes(op.op) && !Object.hasOwn(op, "value")) {
      throw new PatchError(`operation ${i} (${op.op}): it needs "value"`);
    }
    if (["move", "copy"].includes(op.op) && typeof op.from !== "string") {
      throw new PatchError(`operation ${i} (${op.op}): it needs "from"`);
    }
    return op as unknown as JsonPatchOperation;
  });
}

/** RFC 6902, all or nothing: the document is copied first. */
export function applyJsonPatch(document: Json, operations: readonly JsonPatchOperation[]): Json {
  let doc = structuredClone(document);
  for (const op of operations) {
    switch (op.op) {
      case "add":
        doc = addAt(doc, op.path, structuredClone(op.value as Json));
        break;
      case "remove":
        doc = removeAt(doc, op.path);
        break;
      case "replace":
        getAt(doc, op.path);
        doc =
          op.path === ""
            ? structuredClone(op.value as Json)
            : addAt(removeAt(doc, op.path), op.path, structuredClone(op.value as Json));
        break;
      case "move": {
        const from = op.from as string;
        if (op.path.startsWith(`${from}/`)) throw new PatchError(`cannot move "${from}" into itself`);
        const value = getAt(doc, from);
        doc = addAt(removeAt(doc, from), op.path, value);
        break;
      }
      case "copy":
        doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from as string)));
        break;
      case "test":
        if (!deepEqual(getAt(doc, op.path), op.value as Json)) {
          throw new PatchError(`testing value ${op.path} failed`);
        }
        break;
    }
  }
  return doc;
}
