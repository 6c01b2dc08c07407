import { describe, expect, it } from "vitest";
import { CPU_BURST_FACTOR } from "@/lib/k8s/manifests/plan-quota";
import { DEFAULT_SITE_RESOURCES } from "@/lib/validation/site-settings";
import {
  defaultSiteStorageGiB,
  largestPhpResource,
  podFootprint,
  siteContainerResources,
  siteFootprint,
  WEB_SERVER_SHARE,
} from "./site-footprint";

describe("siteFootprint", () => {
  it("counts a default site as the quota does: requests and limits of both containers", () => {
    expect(siteFootprint(DEFAULT_SITE_RESOURCES)).toEqual({
      cpuMillicores: 120,
      memoryMiB: 448,
      storageGiB: 5,
    });
  });

  it("guarantees a default site's PHP 100m, bursting to 400m, with 384 MiB", () => {
    expect(siteContainerResources(DEFAULT_SITE_RESOURCES).php).toMatchObject({
      cpuRequest: "100m",
      cpuLimit: "400m",
      memoryLimit: "384Mi",
    });
  });

  it("multiplies CPU and memory by the replicas, not the storage (one shared volume)", () => {
    expect(siteFootprint({ ...DEFAULT_SITE_RESOURCES, replicas: 2 })).toEqual({
      cpuMillicores: 240,
      memoryMiB: 896,
      storageGiB: 5,
    });
  });

  it("charges limits beyond the burst factor against the plan's CPU, as limits.cpu does", () => {
    const resources = siteContainerResources({ cpuMillicores: 100, memoryMiB: 256 });
    // Requests 120m; limits 480m / 4 = 120m: equal when limits are exactly the burst.
    expect(podFootprint(resources).cpuMillicores).toBe(120);
    const bursty = { ...resources, php: { ...resources.php, cpuLimit: "2" } };
    expect(podFootprint(bursty).cpuMillicores).toBe(Math.ceil((2000 + 80) / CPU_BURST_FACTOR));
  });
});

describe("largestPhpResource", () => {
  it("is the web server's share per pod less than what is left", () => {
    expect(WEB_SERVER_SHARE).toEqual({ cpuMillicores: 20, memoryMiB: 64 });
    expect(largestPhpResource("cpuMillicores", 300, 1)).toBe(280);
    expect(largestPhpResource("memoryMiB", 576, 1)).toBe(512);
    expect(largestPhpResource("cpuMillicores", 881, 2)).toBe(420);
  });

  it("is the largest value whose footprint fits, for any replicas", () => {
    for (const replicas of [1, 2, 3]) {
      for (const left of [500, 777, 1024, 4096]) {
        const cpu = largestPhpResource("cpuMillicores", left, replicas);
        const memory = largestPhpResource("memoryMiB", left, replicas);
        const at = (c: number, m: number) =>
          siteFootprint({ cpuMillicores: c, memoryMiB: m, storageGiB: 1, replicas });
        expect(at(cpu, memory).cpuMillicores).toBeLessThanOrEqual(left);
        expect(at(cpu + 1, memory).cpuMillicores).toBeGreaterThan(left);
        expect(at(cpu, memory).memoryMiB).toBeLessThanOrEqual(left);
        expect(at(cpu, memory + 1).memoryMiB).toBeGreaterThan(left);
      }
    }
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
