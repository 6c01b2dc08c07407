import { describe, expect, it } from "vitest";
import { reservedSiteNameProblem } from "@/lib/validation/reserved-names";
import { siteNameProblem } from "@/lib/validation/site";
import { buildAccountObjects } from "./account";
import { siteObjectNames } from "./labels";
import { buildPlanObjects } from "./plan-quota";
import { buildSuspendedPageObjects } from "./suspended-page";
import { exampleNetwork, examplePageSettings } from "./test-fixtures";

const spec = { accountId: "acc1", accountSlug: "acme" };
const plan = { maxSites: 1, maxCronJobs: 0, storageGiB: 1, cpuMillicores: 100, memoryMiB: 128 };

/** Every object Sitepod puts in a tenant namespace that is not a site's own. */
const accountObjects = [
  ...buildAccountObjects(spec, exampleNetwork),
  ...buildPlanObjects(spec, plan),
  ...buildSuspendedPageObjects(spec, examplePageSettings),
].filter((o) => o.kind !== "Namespace");

describe("names Sitepod uses for its own objects", () => {
  it("are all reserved as site names", () => {
    expect(accountObjects.length).toBeGreaterThan(5);
    for (const o of accountObjects) {
      expect([o.kind, o.metadata.name, reservedSiteNameProblem(o.metadata.name)]).toEqual([
        o.kind,
        o.metadata.name,
        expect.any(String),
      ]);
    }
  });

  it("cannot be reached by any valid site name's derived object names", () => {
    const derived = Object.values(siteObjectNames("NAME"));
    for (const o of accountObjects) {
      for (const pattern of derived) {
        // The site name that would produce this object's name through this pattern, if any.
        const [before, after] = pattern.split("NAME") as [string, string];
        const name = o.metadata.name;
        if (!name.startsWith(before) || !name.endsWith(after)) continue;
        const siteName = name.slice(before.length, name.length - after.length);
        if (siteName === "") continue;
        expect([name, siteNameProblem(siteName)]).toEqual([name, expect.any(String)]);
      }
    }
  });
});
