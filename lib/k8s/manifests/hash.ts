import { createHash } from "node:crypto";
import { SPEC_HASH_ANNOTATION } from "./labels";

/** JSON with object keys sorted, so equal content always hashes the same. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

export function contentHash(value: unknown): string {
  return createHash("sha256").update(stableStringify(value)).digest("hex").slice(0, 20);
}

interface Annotated {
  metadata?: { annotations?: Record<string, string> };
}

/**
 * Stamps the object with the hash of its own rendered content (the annotation itself excluded),
 * so the reconciler can compare what it would apply with what the informer cache holds without
 * a GET or a dry-run apply.
 */
export function withSpecHash<T extends Annotated>(obj: T): T {
  const annotations = { ...(obj.metadata?.annotations ?? {}) };
  delete annotations[SPEC_HASH_ANNOTATION];
  const withoutHash = { ...obj, metadata: { ...obj.metadata, annotations } };
  const hash = contentHash(withoutHash);
  return {
    ...withoutHash,
    metadata: { ...withoutHash.metadata, annotations: { ...annotations, [SPEC_HASH_ANNOTATION]: hash } },
  };
}

export function specHashOf(obj: Annotated | undefined): string | undefined {
  return obj?.metadata?.annotations?.[SPEC_HASH_ANNOTATION];
}
