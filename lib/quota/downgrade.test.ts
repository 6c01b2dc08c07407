import { describe, expect, it } from "vitest";
import { downgradeMessage, downgradeViolations } from "./downgrade";

const small = {
  maxSites: 3,
  maxDomains: 1,
  maxDatabases: 3,
  maxCronJobs: 2,
  storageGiB: 20,
  cpuMillicores: 1000,
  memoryMiB: 2048,
  backupsKept: 7,
};

describe("downgradeViolations", () => {
  it("is empty when usage fits, limits included", () => {
    expect(downgradeViolations(small, { maxSites: 3, maxDomains: 1 })).toEqual([]);
  });

  it("names every limit the account is over, in display order", () => {
    const violations = downgradeViolations(small, { maxDomains: 4, maxSites: 5 });
    expect(violations.map((v) => [v.key, v.limit, v.current])).toEqual([
      ["maxSites", 3, 5],
      ["maxDomains", 1, 4],
    ]);
    expect(downgradeMessage("Starter", "Acme", violations)).toBe(
      "The plan Starter is too small for Acme: it allows 3 sites but the account has 5; it allows 1 domain but the account has 4. Remove what is over first, or choose a larger plan.",
    );
  });
});
