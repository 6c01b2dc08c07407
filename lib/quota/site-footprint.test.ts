import { describe, expect, it } from "vitest";
import { CPU_BURST_FACTOR } from "@/lib/k8s/manifests/plan-quota";
import { DEFAULT_SITE_RESOURCES } from "@/lib/validation/site-settings";
import { defaultSiteStorageGiB, podFootprint, siteContainerResources, siteFootprint } from "./site-footprint";

describe("siteFootprint", () => {
  it("counts a default site as the quota does: requests and limits of both containers", () => {
    expect(siteFootprint(DEFAULT_SITE_RESOURCES)).toEqual({
      cpuMillicores: 300,
      memoryMiB: 448,
      storageGiB: 5,
    });
  });

  it("keeps today's PHP limits for a default site (1 CPU, 384 MiB)", () => {
    expect(siteContainerResources(DEFAULT_SITE_RESOURCES).php).toMatchObject({
      cpuLimit: "1000m",
      memoryLimit: "384Mi",
    });
  });

  it("multiplies CPU and memory by the replicas, not the storage (one shared volume)", () => {
    expect(siteFootprint({ ...DEFAULT_SITE_RESOURCES, replicas: 2 })).toEqual({
      cpuMillicores: 600,
      memoryMiB: 896,
      storageGiB: 5,
    });
  });

  it("charges limits beyond the burst factor against the plan's CPU, as limits.cpu does", () => {
    const resources = siteContainerResources({ cpuMillicores: 100, memoryMiB: 256 });
    // Requests 150m; limits 600m / 4 = 150m: equal when limits are exactly the burst.
    expect(podFootprint(resources).cpuMillicores).toBe(150);
    const bursty = { ...resources, php: { ...resources.php, cpuLimit: "2" } };
    expect(podFootprint(bursty).cpuMillicores).toBe(Math.ceil((2000 + 200) / CPU_BURST_FACTOR));
  });
});

describe("defaultSiteStorageGiB", () => {
  it("reads SITEPOD_SITE_STORAGE in GiB", () => {
    expect(defaultSiteStorageGiB({})).toBe(5);
    expect(defaultSiteStorageGiB({ SITEPOD_SITE_STORAGE: "8Gi" })).toBe(8);
    expect(defaultSiteStorageGiB({ SITEPOD_SITE_STORAGE: "3" })).toBe(3);
    expect(() => defaultSiteStorageGiB({ SITEPOD_SITE_STORAGE: "500Mi" })).toThrow(
      'SITEPOD_SITE_STORAGE "500Mi" is not valid: give a whole number of GiB (e.g. 5Gi).',
    );
  });
});
