import { describe, expect, it } from "vitest";
import type { Role } from "@/lib/generated/prisma/enums";
import {
  canCreateSite,
  canDeleteSite,
  canUpdateSite,
  canManageDomains,
  canManageCronJobs,
  canViewAccount,
  canViewSite,
  siteCreationBlockedReason,
  strongestRole,
} from "./permissions";
import { accountIdsOnPath, effectiveRole } from "./scope";

const roles: Role[] = ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"];

describe("permissions", () => {
  it("lets every role view and developers and above change sites", () => {
    expect(roles.filter(canViewAccount)).toEqual(roles);
    expect(roles.filter(canViewSite)).toEqual(roles);
    expect(roles.filter(canCreateSite)).toEqual(["OWNER", "ADMIN", "DEVELOPER"]);
    expect(roles.filter(canDeleteSite)).toEqual(["OWNER", "ADMIN", "DEVELOPER"]);
    expect(roles.filter(canUpdateSite)).toEqual(["OWNER", "ADMIN", "DEVELOPER"]);
    expect(roles.filter(canManageDomains)).toEqual(["OWNER", "ADMIN", "DEVELOPER"]);
    expect(roles.filter(canManageCronJobs)).toEqual(["OWNER", "ADMIN", "DEVELOPER"]);
  });

  it("blocks new sites in a suspended account, with the reason, and nowhere else", () => {
    expect(siteCreationBlockedReason({ status: "ACTIVE" })).toBeNull();
    expect(siteCreationBlockedReason({ status: "SUSPENDED" })).toMatch(/suspended/);
  });

  it("picks the strongest role", () => {
    expect(strongestRole(["VIEWER", "ADMIN", "DEVELOPER"])).toBe("ADMIN");
    expect(strongestRole([])).toBeNull();
  });
});

describe("scope", () => {
  it("applies a role to descendants only", () => {
    const roots = [
      { role: "VIEWER" as const, path: "/p/" },
      { role: "OWNER" as const, path: "/p/r/" },
    ];
    expect(effectiveRole("/p/", roots)).toBe("VIEWER");
    expect(effectiveRole("/p/r/c/", roots)).toBe("OWNER");
    expect(effectiveRole("/p/r2/", roots)).toBe("VIEWER");
    expect(effectiveRole("/q/", roots)).toBeNull();
    // "/p/r/" must not reach the sibling "/p/rx/" through a bare string prefix.
    expect(effectiveRole("/p/rx/", [{ role: "OWNER", path: "/p/r/" }])).toBeNull();
  });

  it("reads ancestor ids from a path", () => {
    expect(accountIdsOnPath("/a/b/c/")).toEqual(["a", "b", "c"]);
  });
});
