import { describe, expect, it } from "vitest";
import { zeroUsage } from "@/lib/quota/limits";
import { newSiteLimitReason, SMALLEST_SITE } from "@/lib/quota/new-site";
import type { Limits } from "@/lib/validation/plan";

const plan: Limits = {
  maxSites: 2,
  maxDomains: 3,
  maxDatabases: 2,
  maxCronJobs: 1,
  storageGiB: 8,
  cpuMillicores: 500,
  memoryMiB: 1536,
  backupsKept: 1,
};

describe("newSiteLimitReason", () => {
  it("finds room on an unused plan and on no plan at all", () => {
    expect(newSiteLimitReason({ plan, usage: zeroUsage() })).toBeNull();
    expect(newSiteLimitReason({ plan: null, usage: { ...zeroUsage(), maxSites: 99 } })).toBeNull();
  });

  it("counts the smallest site: 1 GiB and the default CPU and memory with the web server's share", () => {
    expect(SMALLEST_SITE).toEqual({
      maxSites: 1,
      maxDomains: 1,
      storageGiB: 1,
      cpuMillicores: 120,
      memoryMiB: 448,
    });
  });

  it("refuses with the plan's message when the sites are all in use", () => {
    expect(newSiteLimitReason({ plan, usage: { ...zeroUsage(), maxSites: 2, maxDomains: 2 } })).toBe(
      "Your plan allows 2 sites; you have 2. Upgrade the plan or delete a site.",
    );
  });

  it("refuses when no domain, storage, CPU or memory is left for even the smallest site", () => {
    const used = { ...zeroUsage(), maxSites: 1 };
    expect(newSiteLimitReason({ plan, usage: { ...used, maxDomains: 3 } })).toBe(
      "Your plan allows 3 domains; you have 3. Upgrade the plan or remove a domain.",
    );
    expect(newSiteLimitReason({ plan, usage: { ...used, storageGiB: 8 } })).toMatch(
      /^Your plan allows 8 GiB of storage; you have 8 and this needs 1 more\./,
    );
    expect(newSiteLimitReason({ plan, usage: { ...used, cpuMillicores: 400 } })).toMatch(/CPU/);
    expect(newSiteLimitReason({ plan, usage: { ...used, memoryMiB: 1100 } })).toMatch(/memory/);
    expect(newSiteLimitReason({ plan, usage: { ...used, cpuMillicores: 380, memoryMiB: 1088 } })).toBeNull();
  });
});
