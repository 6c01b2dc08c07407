/**
 * A site's settings refused by its plan's CPU, memory or storage, said in the terms of the settings
 * form: which field, the most it may hold given the other sites, and what to do. Pure.
 */
import type { LimitViolation } from "@/lib/quota/limits";
import { largestPhpResource, type SiteSizing, WEB_SERVER_SHARE } from "@/lib/quota/site-footprint";
import { formatLimit } from "@/lib/validation/plan";
import { RESOURCE_BOUNDS } from "@/lib/validation/site-settings";

export interface SiteResourceRefusal {
  /** The settings field the refusal belongs next to. */
  field: keyof SiteSizing;
  message: string;
}

const NOUNS = { cpuMillicores: "CPU", memoryMiB: "memory" } as const;

/**
 * Explains `violation` (of the plan's storageGiB, cpuMillicores or memoryMiB) for a site changed
 * from `before` to `after`; null for any other limit. `violation.current` counts the site at its
 * `before` size, so what the other sites use is that less this site's footprint.
 */
export function explainSiteResourceLimit(
  violation: LimitViolation,
  sizes: { before: SiteSizing; after: SiteSizing },
): SiteResourceRefusal | null {
  const { key, limit, current } = violation;
  const { before, after } = sizes;
  if (key !== "storageGiB" && key !== "cpuMillicores" && key !== "memoryMiB") return null;
  const own = key === "storageGiB" ? before.storageGiB : podShare(key, before) * before.replicas;
  const others = current - own;
  const opening = `Your plan allows ${formatLimit(key, limit)} and your other sites use ${others}`;

  if (key === "storageGiB") {
    const most = limit - others;
    if (most <= before.storageGiB) {
      return {
        field: key,
        message: `${opening}: this site's storage cannot grow beyond its ${before.storageGiB} GiB. Upgrade the plan or delete another site to free its storage.`,
      };
    }
    return {
      field: key,
      message: `${opening}: this site can have at most ${most}. Choose ${most} or less, or upgrade the plan.`,
    };
  }

  const noun = NOUNS[key];
  const share = WEB_SERVER_SHARE[key];
  if (after[key] <= before[key] && after.replicas > before.replicas) {
    const total = podShare(key, after) * after.replicas;
    return {
      field: "replicas",
      message: `${opening}: ${after.replicas} pods of this site would take ${total}. Run fewer pods, lower their ${noun} or upgrade the plan.`,
    };
  }
  const most = largestPhpResource(key, limit - others, after.replicas);
  const perPod = after.replicas > 1 ? ` per pod for its ${after.replicas} pods` : "";
  const webServer =
    after.replicas > 1
      ? `each pod's web server takes another ${share}`
      : `its web server takes the other ${share}`;
  if (most < RESOURCE_BOUNDS[key].min) {
    return {
      field: after.replicas > before.replicas ? "replicas" : key,
      message: `${opening}: too little is left for this site's ${noun}${perPod}. ${after.replicas > 1 ? "Run fewer pods, lower" : "Lower"} the ${noun} of another site or upgrade the plan.`,
    };
  }
  if (after.replicas === before.replicas && most <= before[key]) {
    return {
      field: key,
      message: `${opening}: this site cannot have more than its ${before[key]}${perPod} (${webServer}). Lower the ${noun} of another site or upgrade the plan.`,
    };
  }
  return {
    field: key,
    message: `${opening}: this site can have at most ${most}${perPod} (${webServer}). Choose ${most} or less, or upgrade the plan.`,
  };
}

/** One pod's footprint of `key`: its PHP's share and its web server's. */
function podShare(key: "cpuMillicores" | "memoryMiB", sizing: SiteSizing): number {
  return sizing[key] + WEB_SERVER_SHARE[key];
}
