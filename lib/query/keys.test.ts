import { describe, expect, it } from "vitest";
import { keysForChange, queryKeys } from "@/lib/query/keys";

function startsWith(key: readonly unknown[], prefix: readonly unknown[]): boolean {
  return prefix.every((part, i) => key[i] === part);
}

describe("queryKeys", () => {
  it("nests every site key under sites.all and every key under all", () => {
    for (const key of [queryKeys.sites.list("a1"), queryKeys.sites.detail("s1")]) {
      expect(startsWith(key, queryKeys.sites.all)).toBe(true);
      expect(startsWith(key, queryKeys.all)).toBe(true);
    }
    expect(startsWith(queryKeys.accounts.list(), queryKeys.accounts.all)).toBe(true);
    // A site change (which invalidates its detail) refreshes its domains too.
    expect(startsWith(queryKeys.sites.domains("s1"), queryKeys.sites.detail("s1"))).toBe(true);
    // Not the DNS check: it looks the domains up, and status reports change nothing of it.
    expect(startsWith(queryKeys.dns.site("s1"), queryKeys.sites.detail("s1"))).toBe(false);
    expect(startsWith(queryKeys.sites.list("a1"), queryKeys.accounts.all)).toBe(false);
  });
});

describe("keysForChange", () => {
  it("invalidates the account's site list, the changed site's detail and the account's usage for a site change", () => {
    expect(keysForChange({ kind: "Site", objectId: "s1", accountId: "a1", action: "CREATED" })).toEqual([
      ["sitepod", "sites", "list", "a1"],
      ["sitepod", "sites", "detail", "s1"],
      ["sitepod", "sites", "clients"],
      ["sitepod", "quota", "a1"],
      ["sitepod", "dns", "s1"],
    ]);
  });

  it("looks every open DNS check up again when a domain changes, but not on a domain's status report", () => {
    expect(
      keysForChange({ kind: "Domain", objectId: "d1", accountId: "a1", action: "UPDATED" }),
    ).toContainEqual(["sitepod", "dns"]);
    expect(
      keysForChange({ kind: "Domain", objectId: "d1", accountId: "a1", action: "STATUS" }),
    ).not.toContainEqual(["sitepod", "dns"]);
  });

  it("leaves usage alone for a status report, which changes no usage", () => {
    expect(keysForChange({ kind: "Site", objectId: "s1", accountId: "a1", action: "STATUS" })).toEqual([
      ["sitepod", "sites", "list", "a1"],
      ["sitepod", "sites", "detail", "s1"],
      ["sitepod", "sites", "clients"],
    ]);
  });

  it("refreshes every usage panel when an account changes (its plan, say)", () => {
    expect(keysForChange({ kind: "Account", objectId: "a1", accountId: "a1", action: "UPDATED" })).toEqual([
      ["sitepod", "accounts"],
      ["sitepod", "quota"],
    ]);
  });

  it("invalidates every site list when the change names no account", () => {
    expect(keysForChange({ kind: "Site", objectId: "s1", accountId: null })[0]).toEqual([
      "sitepod",
      "sites",
      "list",
    ]);
  });

  it("invalidates the cron job lists for a cron job change (its status included)", () => {
    expect(keysForChange({ kind: "CronJob", objectId: "c1", accountId: "a1", action: "STATUS" })).toEqual([
      ["sitepod", "cronJobs"],
    ]);
    expect(keysForChange({ kind: "CronJob", objectId: "c1", accountId: "a1", action: "CREATED" })).toEqual([
      ["sitepod", "cronJobs"],
      ["sitepod", "quota", "a1"],
    ]);
    expect(queryKeys.cronJobs.list("s1")).toEqual(["sitepod", "cronJobs", "list", "s1"]);
  });

  it("makes nothing stale for an API token's creation, use or revocation (no query holds tokens)", () => {
    expect(keysForChange({ kind: "ApiToken", objectId: "t1", accountId: "a1" })).toEqual([]);
  });

  it("makes nothing stale for a support session's start or end", () => {
    expect(keysForChange({ kind: "Impersonation", objectId: "i1", accountId: "a1" })).toEqual([]);
  });

  it("keeps the platform health under its own key, polled", () => {
    expect(queryKeys.platform.health()).toEqual(["sitepod", "platform", "health"]);
  });

  it("falls back to everything for kinds it does not know", () => {
    expect(keysForChange({ kind: "Backup", objectId: "b1" })).toEqual([["sitepod"]]);
  });
});
