import { describe, expect, it } from "vitest";
import { accountAreas } from "./permissions";

describe("accountAreas", () => {
  it("shows a customer's developer their sites and members, nothing of a provider", () => {
    expect(accountAreas({ kind: "CUSTOMER", role: "DEVELOPER" })).toEqual({
      sites: true,
      members: true,
      accountsBelow: false,
      clientSites: false,
      plans: false,
      auditLog: false,
      runtimes: false,
      databases: true,
      databaseServers: false,
      apiTokens: true,
      health: false,
      search: false,
      brand: false,
    });
  });

  it("shows every member, viewers included, the API tokens (their own ones)", () => {
    for (const role of ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"] as const) {
      expect(accountAreas({ kind: "CUSTOMER", role }).apiTokens, role).toBe(true);
    }
  });

  it("shows a customer's owner the audit log", () => {
    expect(accountAreas({ kind: "CUSTOMER", role: "OWNER" }).auditLog).toBe(true);
  });

  it("shows a reseller's admin customers, plans, client sites and the audit log", () => {
    expect(accountAreas({ kind: "RESELLER", role: "ADMIN" })).toMatchObject({
      accountsBelow: true,
      plans: true,
      clientSites: true,
      auditLog: true,
    });
  });

  it("shows an agency its clients and their sites but no plan catalogue", () => {
    expect(accountAreas({ kind: "AGENCY", role: "OWNER" })).toMatchObject({
      accountsBelow: true,
      clientSites: true,
      plans: false,
    });
  });

  it("shows a platform viewer the accounts and the runtime catalog but no audit log", () => {
    const areas = accountAreas({ kind: "PLATFORM", role: "VIEWER" });
    expect(areas.auditLog).toBe(false);
    expect(areas.accountsBelow).toBe(true);
    expect(areas.runtimes).toBe(true);
  });

  it("shows the runtime catalog and the database servers on the platform only", () => {
    for (const kind of ["RESELLER", "AGENCY", "CUSTOMER"] as const) {
      expect(accountAreas({ kind, role: "OWNER" }).runtimes, kind).toBe(false);
      expect(accountAreas({ kind, role: "OWNER" }).databaseServers, kind).toBe(false);
    }
    expect(accountAreas({ kind: "PLATFORM", role: "VIEWER" }).databaseServers).toBe(true);
  });

  it("shows the platform health page and the search to the platform's members only, viewers included", () => {
    for (const kind of ["RESELLER", "AGENCY", "CUSTOMER"] as const) {
      expect(accountAreas({ kind, role: "OWNER" }), kind).toMatchObject({ health: false, search: false });
    }
    expect(accountAreas({ kind: "PLATFORM", role: "VIEWER" })).toMatchObject({ health: true, search: true });
  });

  it("shows the branding to resellers only", () => {
    expect(accountAreas({ kind: "RESELLER", role: "VIEWER" }).brand).toBe(true);
    for (const kind of ["PLATFORM", "AGENCY", "CUSTOMER"] as const) {
      expect(accountAreas({ kind, role: "OWNER" }).brand, kind).toBe(false);
    }
  });
});
