import { describe, expect, it } from "vitest";
import { allotmentCapacity, allotmentMessage, allotmentViolations } from "./allotment";
import { zeroUsage } from "./limits";

const allotment = {
  maxSites: 10,
  maxDomains: 20,
  maxDatabases: 10,
  maxCronJobs: 10,
  storageGiB: 100,
  cpuMillicores: 4000,
  memoryMiB: 8192,
  backupsKept: 70,
  oversellRatio: 1,
};
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

describe("allotmentCapacity", () => {
  it("multiplies by the oversell ratio and rounds down, without floating-point surprises", () => {
    expect(allotmentCapacity(allotment).maxSites).toBe(10);
    expect(allotmentCapacity({ ...allotment, maxSites: 100, oversellRatio: 1.15 }).maxSites).toBe(115);
    expect(allotmentCapacity({ ...allotment, maxSites: 3, oversellRatio: 1.5 }).maxSites).toBe(4);
    // A ratio below 1 would take back what was granted; it is treated as 1.
    expect(allotmentCapacity({ ...allotment, oversellRatio: 0.5 }).maxSites).toBe(10);
  });
});

describe("allotmentViolations", () => {
  it("allows a plan that fits what is left", () => {
    const handedOut = { ...zeroUsage(), maxSites: 6, maxDomains: 10 };
    expect(allotmentViolations({ allotment, handedOut, removing: null, adding: plan })).toEqual([]);
  });

  it("refuses what does not fit, naming each limit", () => {
    const handedOut = { ...zeroUsage(), maxSites: 9, storageGiB: 90 };
    const violations = allotmentViolations({ allotment, handedOut, removing: null, adding: plan });
    expect(violations.map((v) => [v.key, v.limit, v.current, v.requested])).toEqual([
      ["maxSites", 10, 9, 12],
      ["storageGiB", 100, 90, 110],
    ]);
    expect(allotmentMessage("Reseller One", violations)).toBe(
      "The allotment of Reseller One is exhausted: 10 sites may be handed out, 9 already are, and this change needs 3 more; 100 GiB of storage may be handed out, 90 already are, and this change needs 20 more. Choose a smaller plan or ask your provider for a larger allotment.",
    );
  });

  it("lets overselling admit more, up to the ratio", () => {
    const handedOut = { ...zeroUsage(), maxSites: 9 };
    const oversold = { ...allotment, oversellRatio: 1.2, storageGiB: 200 };
    expect(allotmentViolations({ allotment: oversold, handedOut, removing: null, adding: plan })).toEqual([]);
    expect(
      allotmentViolations({
        allotment: oversold,
        handedOut: { ...handedOut, maxSites: 10 },
        removing: null,
        adding: plan,
      }).map((v) => v.key),
    ).toEqual(["maxSites"]);
  });

  it("counts the replaced plan as returned, and never refuses a change that shrinks the total", () => {
    const handedOut = { ...zeroUsage(), maxSites: 10 };
    const bigger = { ...plan, maxSites: 4 };
    expect(
      allotmentViolations({ allotment, handedOut, removing: plan, adding: bigger }).map((v) => v.key),
    ).toEqual(["maxSites"]);
    const overAlready = { ...zeroUsage(), maxSites: 15 };
    expect(
      allotmentViolations({ allotment, handedOut: overAlready, removing: bigger, adding: plan }),
    ).toEqual([]);
    expect(allotmentViolations({ allotment, handedOut: overAlready, removing: plan, adding: null })).toEqual(
      [],
    );
  });
});
