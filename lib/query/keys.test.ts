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
    expect(startsWith(queryKeys.sites.list("a1"), queryKeys.accounts.all)).toBe(false);
  });
});

describe("keysForChange", () => {
  it("invalidates the account's site list and the changed site's detail for a site change", () => {
    expect(keysForChange({ kind: "Site", objectId: "s1", accountId: "a1" })).toEqual([
      ["sitepod", "sites", "list", "a1"],
      ["sitepod", "sites", "detail", "s1"],
      ["sitepod", "sites", "clients"],
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
    expect(keysForChange({ kind: "CronJob", objectId: "c1", accountId: "a1" })).toEqual([
      ["sitepod", "cronJobs"],
    ]);
    expect(queryKeys.cronJobs.list("s1")).toEqual(["sitepod", "cronJobs", "list", "s1"]);
  });

  it("falls back to everything for kinds it does not know", () => {
    expect(keysForChange({ kind: "Backup", objectId: "b1" })).toEqual([["sitepod"]]);
  });
});
