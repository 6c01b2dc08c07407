/**
 * Drift: a field Sitepod renders that the cluster now holds with another value, because someone
 * changed the object behind Sitepod's back (`kubectl scale`, an edited ConfigMap). The spec-hash
 * annotation cannot tell: it describes what Sitepod applied, and a hand edit leaves it as it was.
 *
 * Only what Sitepod renders is compared (the rendered object as a pattern over the observed one),
 * so what the API server and controllers add (defaults, a Service's clusterIP, status) never counts.
 * Values the server writes in another form compare equal: quantities ("1000m" and "1"), and a
 * false, zero, empty or missing value.
 */

export interface DriftedField {
  /** e.g. "spec.replicas", "data.php.ini", "spec.template.spec.containers[0].image" */
  path: string;
  /** What Sitepod renders, shortened for display. */
  wanted: string;
  /** What the cluster holds, shortened for display; "(missing)" when the field is gone. */
  found: string;
}

/** Metadata the server or other tools own; only Sitepod's labels and annotations are compared. */
const COMPARED_METADATA = ["labels", "annotations"] as const;

const QUANTITY = /^([+-]?\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const FACTORS: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a Kubernetes quantity ("250m", "1Gi", "2"), or undefined when it is not one. */
export function quantityValue(value: string): number | undefined {
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * (FACTORS[match[2] ?? ""] ?? 1);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value as object).every((v) => v === undefined);
  return false;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return "(missing)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function sameScalar(wanted: unknown, found: unknown): boolean {
  if (wanted === found) return true;
  if (isEmpty(wanted) && isEmpty(found)) return true;
  // An int-or-string field may come back as the other (a port written as "8080").
  if (typeof wanted === "number" && typeof found === "string") return String(wanted) === found;
  if (typeof wanted === "string" && typeof found === "number") return wanted === String(found);
  if (typeof wanted === "string" && typeof found === "string") {
    const a = quantityValue(wanted);
    const b = quantityValue(found);
    return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-9;
  }
  return false;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * A field by its JSON name or by the name @kubernetes/client-node's models give it: fields named
 * like TypeScript keywords carry a leading underscore there (`_from`, `_default`). Rendered objects
 * are written with the models' names; the informers hold JSON names (watch events) or the models'
 * (list results), so either spelling may be on either side.
 */
function fieldOf(record: Record<string, unknown>, key: string): unknown {
  if (key in record) return record[key];
  if (key.startsWith("_")) return record[key.slice(1)];
  return record[`_${key}`];
}

function compare(wanted: unknown, found: unknown, path: string, out: DriftedField[]): void {
  if (wanted === undefined) return;
  if (Array.isArray(wanted)) {
    if (!Array.isArray(found)) {
      if (!(wanted.length === 0 && isEmpty(found)))
        out.push({ path, wanted: show(wanted), found: show(found) });
      return;
    }
    if (found.length !== wanted.length) {
      out.push({ path, wanted: `${wanted.length} items`, found: `${found.length} items` });
      return;
    }
    for (const [i, w] of wanted.entries()) compare(w, found[i], `${path}[${i}]`, out);
    return;
  }
  if (isRecord(wanted)) {
    if (!isRecord(found)) {
      if (!isEmpty(wanted) || !isEmpty(found)) out.push({ path, wanted: show(wanted), found: show(found) });
      return;
    }
    for (const [key, value] of Object.entries(wanted)) {
      compare(value, fieldOf(found, key), path ? `${path}.${key}` : key, out);
    }
    return;
  }
  if (!sameScalar(wanted, found)) out.push({ path, wanted: show(wanted), found: show(found) });
}

/**
 * The fields of `rendered` that `observed` holds with other values; empty when the object is as
 * Sitepod would apply it.
 */
export function driftOf(rendered: object, observed: object): DriftedField[] {
  const out: DriftedField[] = [];
  const want = rendered as Record<string, unknown>;
  const have = observed as Record<string, unknown>;
  for (const [key, value] of Object.entries(want)) {
    if (key === "apiVersion" || key === "kind" || key === "status") continue;
    if (key === "metadata") {
      const wantMeta = (value ?? {}) as Record<string, unknown>;
      const haveMeta = (have.metadata ?? {}) as Record<string, unknown>;
      for (const field of COMPARED_METADATA)
        compare(wantMeta[field], haveMeta[field], `metadata.${field}`, out);
      continue;
    }
    compare(value, have[key], key, out);
  }
  // A volume can grow (by hand, or by the provider) but never shrink: a larger size is not drift.
  const kept =
    want.kind === "PersistentVolumeClaim"
      ? out.filter((f) => {
          if (f.path !== "spec.resources.requests.storage") return true;
          const wanted = quantityValue(f.wanted);
          const found = quantityValue(f.found);
          return !(wanted !== undefined && found !== undefined && found > wanted);
        })
      : out;
  // A Secret's values are never shown, not even base64-encoded.
  if (want.kind === "Secret")
    return kept.map((f) => ({
      ...f,
      wanted: "(hidden)",
      found: f.found === "(missing)" ? f.found : "(hidden)",
    }));
  return kept;
}

/** One line for a timeline: "spec.replicas: 1 wanted, 3 found" (and how many more). */
export function describeDrift(fields: readonly DriftedField[], max = 3): string {
  const shown = fields.slice(0, max).map((f) => `${f.path}: ${f.wanted} wanted, ${f.found} found`);
  const more = fields.length > max ? ` (and ${fields.length - max} more)` : "";
  return `${shown.join("; ")}${more}`;
}
