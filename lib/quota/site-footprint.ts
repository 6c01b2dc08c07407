/**
 * What one site takes from its account's plan, and the container resources the reconciler renders
 * for it: one function for both, so that the panel never accepts a site the namespace's
 * ResourceQuota (lib/k8s/manifests/plan-quota.ts) would refuse. Pure.
 */
import type { SiteResources } from "@/lib/k8s/manifests/types";

/**
 * CPU is compressible: a plan's millicores are what its pods are guaranteed (requests), and each
 * may burst up to this many times that in total before being throttled. Memory is not: the plan's
 * MiB cap both requests and limits, so a tenant can never take memory the node promised elsewhere.
 */
export const CPU_BURST_FACTOR = 4;

/** The settings a footprint depends on (a Site row has them all). */
export interface SiteSizing {
  cpuMillicores: number;
  memoryMiB: number;
  storageGiB: number;
  replicas: number;
}

/** What a site counts against the plan's cpuMillicores, memoryMiB and storageGiB. */
export interface SiteFootprint {
  cpuMillicores: number;
  memoryMiB: number;
  storageGiB: number;
}

/** nginx in front of PHP: fixed, small (it serves static files and hands the rest to php-fpm). */
export const NGINX_RESOURCES = { cpuMillicores: 20, memoryRequestMiB: 32, memoryLimitMiB: 64 } as const;

/**
 * The containers' requests and limits. CPU limits are CPU_BURST_FACTOR times the requests, as the
 * quota's limits.cpu is; PHP's memory request is half its limit, so a pod that idles does not
 * reserve a node's memory, while the plan still counts the limit (the quota caps limits.memory).
 */
export function siteContainerResources(
  sizing: Pick<SiteSizing, "cpuMillicores" | "memoryMiB">,
): SiteResources {
  return {
    php: {
      cpuRequest: `${sizing.cpuMillicores}m`,
      cpuLimit: `${sizing.cpuMillicores * CPU_BURST_FACTOR}m`,
      memoryRequest: `${Math.ceil(sizing.memoryMiB / 2)}Mi`,
      memoryLimit: `${sizing.memoryMiB}Mi`,
    },
    nginx: {
      cpuRequest: `${NGINX_RESOURCES.cpuMillicores}m`,
      cpuLimit: `${NGINX_RESOURCES.cpuMillicores * CPU_BURST_FACTOR}m`,
      memoryRequest: `${NGINX_RESOURCES.memoryRequestMiB}Mi`,
      memoryLimit: `${NGINX_RESOURCES.memoryLimitMiB}Mi`,
    },
  };
}

/** "250m" -> 250, "1" -> 1000; "384Mi" -> 384, "1Gi" -> 1024. Only the forms rendered above. */
function millicores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}
function mebibytes(quantity: string): number {
  if (quantity.endsWith("Gi")) return Number(quantity.slice(0, -2)) * 1024;
  return Number(quantity.replace(/Mi$/, ""));
}

/**
 * What one pod of the site counts against each of the quota's two CPU lines (requests.cpu <= plan,
 * limits.cpu <= plan x burst) and its two memory lines (both <= plan): the larger of the two.
 */
export function podFootprint(resources: SiteResources): Omit<SiteFootprint, "storageGiB"> {
  const containers = [resources.php, resources.nginx];
  const cpuRequests = containers.reduce((sum, c) => sum + millicores(c.cpuRequest), 0);
  const cpuLimits = containers.reduce((sum, c) => sum + millicores(c.cpuLimit), 0);
  const memoryRequests = containers.reduce((sum, c) => sum + mebibytes(c.memoryRequest), 0);
  const memoryLimits = containers.reduce((sum, c) => sum + mebibytes(c.memoryLimit), 0);
  return {
    cpuMillicores: Math.max(cpuRequests, Math.ceil(cpuLimits / CPU_BURST_FACTOR)),
    memoryMiB: Math.max(memoryRequests, memoryLimits),
  };
}

/** The site's steady footprint: every pod it runs, and its files volume. */
export function siteFootprint(sizing: SiteSizing): SiteFootprint {
  const pod = podFootprint(siteContainerResources(sizing));
  return {
    cpuMillicores: pod.cpuMillicores * sizing.replicas,
    memoryMiB: pod.memoryMiB * sizing.replicas,
    storageGiB: sizing.storageGiB,
  };
}

/** What each pod's web server adds to its PHP container's CPU and memory in the footprint. */
export const WEB_SERVER_SHARE: Omit<SiteFootprint, "storageGiB"> = podFootprint(
  siteContainerResources({ cpuMillicores: 0, memoryMiB: 0 }),
);

/**
 * The most CPU or memory a site's PHP may be given when `left` of the plan is free for the site
 * and it runs `replicas` pods, each taking its PHP's share and its web server's (the footprint is
 * linear in both). May be below what any site may have: then nothing fits.
 */
export function largestPhpResource(
  key: "cpuMillicores" | "memoryMiB",
  left: number,
  replicas: number,
): number {
  return Math.floor(left / replicas) - WEB_SERVER_SHARE[key];
}

export function sumFootprints(items: readonly SiteFootprint[]): SiteFootprint {
  return items.reduce(
    (sum, f) => ({
      cpuMillicores: sum.cpuMillicores + f.cpuMillicores,
      memoryMiB: sum.memoryMiB + f.memoryMiB,
      storageGiB: sum.storageGiB + f.storageGiB,
    }),
    { cpuMillicores: 0, memoryMiB: 0, storageGiB: 0 },
  );
}

/** Prisma select of the columns siteFootprint reads. */
export const siteSizingSelect = {
  cpuMillicores: true,
  memoryMiB: true,
  storageGiB: true,
  replicas: true,
} as const;

/**
 * SITEPOD_SITE_STORAGE ("5Gi"; a bare number is GiB): the volume a new site gets when the form
 * asks for no size and the plan has room for it. Throws on a value that is not whole GiB.
 */
export function defaultSiteStorageGiB(env: Record<string, string | undefined> = process.env): number {
  const text = env.SITEPOD_SITE_STORAGE?.trim() || "5Gi";
  const match = /^([1-9][0-9]{0,5})(Gi)?$/.exec(text);
  if (!match) {
    throw new Error(`SITEPOD_SITE_STORAGE "${text}" is not valid: give a whole number of GiB (e.g. 5Gi).`);
  }
  return Number(match[1]);
}
