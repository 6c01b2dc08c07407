import { describe, expect, it } from "vitest";
import { checkAddition } from "./limits";
import { type SiteSizing, siteFootprint } from "./site-footprint";
import { explainSiteResourceLimit } from "./site-resource-limit";

const plan = {
  maxSites: 3,
  maxDomains: 5,
  maxDatabases: 3,
  maxCronJobs: 2,
  storageGiB: 10,
  cpuMillicores: 300,
  memoryMiB: 1024,
  backupsKept: 0,
};
const site: SiteSizing = { cpuMillicores: 100, memoryMiB: 384, storageGiB: 5, replicas: 1 };
/** Another site of the default size: 120 m, 448 MiB, 3 GiB. */
const others = { cpuMillicores: 120, memoryMiB: 448, storageGiB: 3 };

/** The refusal of changing `site` to `after`, as updateSite meets it. */
function explain(after: Partial<SiteSizing>) {
  const to = { ...site, ...after };
  const from = siteFootprint(site);
  const next = siteFootprint(to);
  const violation = checkAddition(
    plan,
    {
      cpuMillicores: others.cpuMillicores + from.cpuMillicores,
      memoryMiB: others.memoryMiB + from.memoryMiB,
      storageGiB: others.storageGiB + from.storageGiB,
    },
    {
      cpuMillicores: next.cpuMillicores - from.cpuMillicores,
      memoryMiB: next.memoryMiB - from.memoryMiB,
      storageGiB: next.storageGiB - from.storageGiB,
    },
  );
  if (!violation) throw new Error("expected a violation");
  const refusal = explainSiteResourceLimit(violation, { before: site, after: to });
  if (!refusal) throw new Error("expected a refusal");
  return refusal;
}

describe("explainSiteResourceLimit", () => {
  it("names the most the site's CPU may be, its web server's share apart", () => {
    expect(explain({ cpuMillicores: 300 })).toEqual({
      field: "cpuMillicores",
      message:
        "Your plan allows 300 CPU millicores and your other sites use 120: this site can have at most 160 (its web server takes the other 20). Choose 160 or less, or upgrade the plan.",
    });
  });

  it("names the most the site's memory may be", () => {
    expect(explain({ memoryMiB: 600 })).toEqual({
      field: "memoryMiB",
      message:
        "Your plan allows 1024 MiB of memory and your other sites use 448: this site can have at most 512 (its web server takes the other 64). Choose 512 or less, or upgrade the plan.",
    });
  });

  it("counts per pod when the site runs several", () => {
    expect(explain({ cpuMillicores: 200, replicas: 2 }).message).toBe(
      "Your plan allows 300 CPU millicores and your other sites use 120: this site can have at most 70 per pod for its 2 pods (each pod's web server takes another 20). Choose 70 or less, or upgrade the plan.",
    );
  });

  it("puts a refusal that only more pods cause at the pods", () => {
    expect(explain({ replicas: 2 })).toEqual({
      field: "replicas",
      message:
        "Your plan allows 300 CPU millicores and your other sites use 120: 2 pods of this site would take 240. Run fewer pods, lower their CPU or upgrade the plan.",
    });
  });

  it("names the most the site's storage may grow to, or says it cannot grow", () => {
    expect(explain({ storageGiB: 8 })).toEqual({
      field: "storageGiB",
      message:
        "Your plan allows 10 GiB of storage and your other sites use 3: this site can have at most 7. Choose 7 or less, or upgrade the plan.",
    });
    const full = checkAddition(plan, { storageGiB: 10 }, { storageGiB: 1 });
    if (!full) throw new Error("expected a violation");
    expect(explainSiteResourceLimit(full, { before: site, after: { ...site, storageGiB: 6 } })?.message).toBe(
      "Your plan allows 10 GiB of storage and your other sites use 5: this site's storage cannot grow beyond its 5 GiB. Upgrade the plan or delete another site to free its storage.",
    );
  });

  it("says so when nothing is left for a site's CPU", () => {
    const tight = checkAddition(plan, { cpuMillicores: 300 }, { cpuMillicores: 50 });
    if (!tight) throw new Error("expected a violation");
    expect(
      explainSiteResourceLimit(tight, { before: site, after: { ...site, cpuMillicores: 150 } })?.message,
    ).toBe(
      "Your plan allows 300 CPU millicores and your other sites use 180: this site cannot have more than its 100 (its web server takes the other 20). Lower the CPU of another site or upgrade the plan.",
    );
  });

  it("says so when too little is left for any CPU at all", () => {
    const none = checkAddition(plan, { cpuMillicores: 380 }, { cpuMillicores: 30 });
    if (!none) throw new Error("expected a violation");
    expect(
      explainSiteResourceLimit(none, { before: site, after: { ...site, cpuMillicores: 130 } })?.message,
    ).toBe(
      "Your plan allows 300 CPU millicores and your other sites use 260: too little is left for this site's CPU. Lower the CPU of another site or upgrade the plan.",
    );
  });
});
