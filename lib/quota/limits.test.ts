import { describe, expect, it } from "vitest";
import { checkAddition, limitExceededMessage, pickLimits, sumLimits, toUsage, zeroUsage } from "./limits";

const plan = {
  maxSites: 3,
  maxDomains: 5,
  maxDatabases: 3,
  maxCronJobs: 2,
  storageGiB: 20,
  cpuMillicores: 1000,
  memoryMiB: 2048,
  backupsKept: 7,
};

describe("checkAddition", () => {
  it("allows anything without a plan", () => {
    expect(checkAddition(null, { maxSites: 1000 }, { maxSites: 1 })).toBeNull();
  });

  it("allows what fits, up to the limit itself", () => {
    expect(checkAddition(plan, { maxSites: 2, maxDomains: 4 }, { maxSites: 1, maxDomains: 1 })).toBeNull();
  });

  it("refuses the first limit that would be passed, with the issue's message", () => {
    expect(checkAddition(plan, { maxSites: 3, maxDomains: 1 }, { maxSites: 1, maxDomains: 1 })).toEqual({
      key: "maxSites",
      limit: 3,
      current: 3,
      requested: 4,
      message: "Your plan allows 3 sites; you have 3. Upgrade the plan or delete a site.",
    });
    expect(checkAddition(plan, { maxDomains: 5 }, { maxSites: 1, maxDomains: 1 })?.message).toBe(
      "Your plan allows 5 domains; you have 5. Upgrade the plan or remove a domain.",
    );
  });

  it("never refuses a key the change does not grow, even when already over", () => {
    expect(checkAddition(plan, { maxSites: 9, maxDomains: 1 }, { maxDomains: 1 })).toBeNull();
    expect(checkAddition(plan, { maxSites: 9 }, { maxSites: -1 })).toBeNull();
  });

  it("treats a zero limit as 'none allowed'", () => {
    expect(checkAddition({ ...plan, maxCronJobs: 0 }, {}, { maxCronJobs: 1 })?.message).toBe(
      "Your plan allows 0 cron jobs; you have 0. Upgrade the plan or delete a cron job.",
    );
  });
});

describe("limitExceededMessage", () => {
  it("uses singular forms", () => {
    expect(limitExceededMessage("maxSites", 1, 1)).toBe(
      "Your plan allows 1 site; you have 1. Upgrade the plan or delete a site.",
    );
  });

  it("says what the change needs when it adds more than one, or an amount", () => {
    expect(limitExceededMessage("maxDomains", 3, 2, 4)).toBe(
      "Your plan allows 3 domains; you have 2 and this needs 2 more. Upgrade the plan or remove a domain.",
    );
    expect(limitExceededMessage("cpuMillicores", 300, 240, 360)).toBe(
      "Your plan allows 300 CPU millicores; you have 240 and this needs 120 more. Upgrade the plan or lower the CPU of a site.",
    );
    // Volumes never shrink: only deleting a site gives storage back.
    expect(limitExceededMessage("storageGiB", 10, 8, 9)).toBe(
      "Your plan allows 10 GiB of storage; you have 8 and this needs 1 more. Upgrade the plan or delete a site to free its storage.",
    );
  });
});

describe("sumLimits / toUsage / pickLimits", () => {
  it("adds limits key by key and fills missing usage with zeros", () => {
    expect(sumLimits([plan, plan]).maxSites).toBe(6);
    expect(sumLimits([])).toEqual(zeroUsage());
    expect(toUsage({ maxSites: 2 })).toEqual({ ...zeroUsage(), maxSites: 2 });
    expect(pickLimits({ ...plan, id: "p", name: "Starter" } as typeof plan)).toEqual(plan);
  });
});
