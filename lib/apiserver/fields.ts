/**
 * What a client may send in an object, checked the way kube-apiserver checks custom resources:
 * fields the schema does not declare (reported for fieldValidation=Strict/Warn), labels and
 * annotations that Kubernetes would refuse.
 */
import { z } from "zod";
import { labelKeyProblem, labelValueProblem } from "./selectors";
import type { StatusCause } from "./types";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

const cache = new WeakMap<z.ZodType, JsonSchema>();

/** The JSON Schema of what a client sends (zod's input side), as the OpenAPI document has it. */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  let json = cache.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    cache.set(schema, json);
  }
  return json;
}

const OBJECT_META_FIELDS = new Set([
  "name",
  "generateName",
  "namespace",
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function branches(schema: JsonSchema): JsonSchema[] {
  return [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
}

function walk(value: unknown, schema: JsonSchema, path: string, out: string[]): void {
  const all = branches(schema);
  if (isObject(value)) {
    const declared = all.filter((s) => s.properties);
    const open = all.find((s) => typeof s.additionalProperties === "object");
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      const property = declared.map((s) => s.properties?.[key]).find((p) => p !== undefined);
      if (property) walk(child, property, childPath, out);
      else if (open) walk(child, open.additionalProperties as JsonSchema, childPath, out);
      else if (declared.length > 0) out.push(childPath);
    }
  } else if (Array.isArray(value)) {
    const items = all.map((s) => s.items).find((i) => i !== undefined);
    if (items) {
      for (const [i, item] of value.entries()) walk(item, items, `${path}[${i}]`, out);
    }
  }
}

/** Paths ("spec.foo", "spec.env[0].bar") of fields the kind does not declare, in document order. */
export function unknownFields(object: Record<string, unknown>, specSchema: z.ZodType): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === "apiVersion" || key === "kind" || key === "status") continue;
    if (key === "metadata") {
      if (isObject(value)) {
        for (const field of Object.keys(value))
          if (!OBJECT_META_FIELDS.has(field)) out.push(`metadata.${field}`);
      }
      continue;
    }
    if (key === "spec") {
      walk(value, inputJsonSchema(specSchema), "spec", out);
      continue;
    }
    out.push(key);
  }
  return out;
}

const TOTAL_ANNOTATION_BYTES = 256 * 1024;

/** Kubernetes' rules for metadata.labels and metadata.annotations, as Invalid causes. */
export function metadataProblems(metadata: Record<string, unknown>): StatusCause[] {
  const causes: StatusCause[] = [];
  const check = (field: "labels" | "annotations") => {
    const map = metadata[field];
    if (map === undefined || map === null) return;
    if (!isObject(map)) {
      causes.push({
        reason: "FieldValueInvalid",
        field: `metadata.${field}`,
        message: "Invalid value: must be a map of strings",
      });
      return;
    }
    let bytes = 0;
    for (const [key, value] of Object.entries(map)) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) {
        causes.push({
          reason: "FieldValueInvalid",
          field: `metadata.${field}`,
          message: `Invalid value: "${key}": ${keyProblem}`,
        });
      }
      if (typeof value !== "string") {
        causes.push({
          reason: "FieldValueInvalid",
          field: `metadata.${field}.${key}`,
          message: "Invalid value: must be a string",
        });
        continue;
      }
      bytes += key.length + value.length;
      if (field === "labels") {
        const valueProblem = labelValueProblem(value);
        if (valueProblem) {
          causes.push({
            reason: "FieldValueInvalid",
            field: "metadata.labels",
            message: `Invalid value: "${value}": ${valueProblem}`,
          });
        }
      }
    }
    if (field === "annotations" && bytes > TOTAL_ANNOTATION_BYTES) {
      causes.push({
        reason: "FieldValueTooLong",
        field: "metadata.annotations",
        message: `Too long: may not be more than ${TOTAL_ANNOTATION_BYTES} bytes`,
      });
    }
  };
  check("labels");
  check("annotations");
  return causes;
}

/** zod issues of a spec as Invalid causes at "spec.<path>". */
export function specIssues(error: z.ZodError, mapPath: (path: (string | number)[]) => string): StatusCause[] {
  return error.issues.map((issue) => ({
    reason:
      issue.code === "invalid_type" && issue.input === undefined ? "FieldValueRequired" : "FieldValueInvalid",
    field: mapPath(issue.path.filter((p): p is string | number => typeof p !== "symbol")),
    message:
      issue.code === "invalid_type" && issue.input === undefined
        ? `Required value: ${issue.message}`
        : `Invalid value: ${issue.message}`,
  }));
}
