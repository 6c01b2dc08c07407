/**
 * Where site pods may run: the operator's node selector and tolerations, applied to every pod a
 * site has (web, install Job, cron jobs). A platform that dedicates nodes to tenant sites sets
 * them; the local scale benchmark uses them to place sites on kwok's simulated nodes.
 *
 * Written the way kubectl writes them:
 *   SITEPOD_SITE_NODE_SELECTOR="sitepod.io/pool=sites,kubernetes.io/os=linux"
 *   SITEPOD_SITE_TOLERATIONS="dedicated=sites:NoSchedule,kwok.x-k8s.io/node:NoSchedule"
 */
import type { V1Toleration } from "@kubernetes/client-node";

export interface SitePlacement {
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;
// A label key: an optional DNS-subdomain prefix and a name of at most 63 characters.
const KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A setting that cannot be parsed: the process must not start with it. */
export class PlacementSettingError extends Error {
  override name = "PlacementSettingError";
}

const items = (value: string | undefined): string[] =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** "k=v,k2=v2" into a node selector; throws PlacementSettingError naming the bad entry. */
export function parseNodeSelector(value: string | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const item of items(value)) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    const val = eq < 0 ? "" : item.slice(eq + 1);
    if (eq < 0 || !KEY.test(key) || !VALUE.test(val)) {
      throw new PlacementSettingError(
        `SITEPOD_SITE_NODE_SELECTOR: "${item}" is not a label selector entry; write key=value, e.g. sitepod.io/pool=sites`,
      );
    }
    out[key] = val;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * "key=value:Effect" (operator Equal), "key:Effect" (operator Exists) or "key=value" / "key" (any
 * effect), comma-separated, as `kubectl taint` writes taints.
 */
export function parseTolerations(value: string | undefined): V1Toleration[] | undefined {
  const out: V1Toleration[] = [];
  for (const item of items(value)) {
    const colon = item.lastIndexOf(":");
    const effect = colon < 0 ? undefined : item.slice(colon + 1);
    const taint = colon < 0 ? item : item.slice(0, colon);
    const eq = taint.indexOf("=");
    const key = eq < 0 ? taint : taint.slice(0, eq);
    const val = eq < 0 ? undefined : taint.slice(eq + 1);
    const effectOk = effect === undefined || (EFFECTS as readonly string[]).includes(effect);
    if (!KEY.test(key) || (val !== undefined && !VALUE.test(val)) || !effectOk) {
      throw new PlacementSettingError(
        `SITEPOD_SITE_TOLERATIONS: "${item}" is not a toleration; write key=value:Effect or key:Effect with Effect one of ${EFFECTS.join(", ")}`,
      );
    }
    out.push({
      key,
      operator: val === undefined ? "Exists" : "Equal",
      ...(val === undefined ? {} : { value: val }),
      ...(effect === undefined ? {} : { effect }),
    });
  }
  return out.length > 0 ? out : undefined;
}

export function sitePlacementFromEnv(env: Record<string, string | undefined> = process.env): SitePlacement {
  const nodeSelector = parseNodeSelector(env.SITEPOD_SITE_NODE_SELECTOR);
  const tolerations = parseTolerations(env.SITEPOD_SITE_TOLERATIONS);
  return { ...(nodeSelector ? { nodeSelector } : {}), ...(tolerations ? { tolerations } : {}) };
}

/** The pod spec fields for a placement: nothing at all when none is set (so hashes stay as they were). */
export function placementPodFields(placement: SitePlacement | undefined): SitePlacement {
  if (!placement) return {};
  return {
    ...(placement.nodeSelector ? { nodeSelector: { ...placement.nodeSelector } } : {}),
    ...(placement.tolerations ? { tolerations: placement.tolerations.map((t) => ({ ...t })) } : {}),
  };
}
