import { describe, expect, it } from "vitest";
import { narrowToToken, type RootMembership } from "@/lib/authz/scope";
import { parseSelection } from "../objects";
import { siteResource } from "../resources/site";
import type { ApiObject } from "../types";
import { type CacheEvent, reaches, transformForWatcher, type Watcher } from "./watch-cache";

/** platform > reseller > agency > shop (a grandchild of the reseller); platform > rival. */
const PATHS = {
  platform: "/plat/",
  reseller: "/plat/res/",
  agency: "/plat/res/agy/",
  shop: "/plat/res/agy/shop/",
  rival: "/plat/rival/",
} as const;

function site(name: string, labels: Record<string, string>, rv: string): ApiObject {
  return {
    apiVersion: "hosting.sitepod.io/v1alpha1",
    kind: "Site",
    metadata: {
      name,
      namespace: "acme",
      uid: name,
      resourceVersion: rv,
      creationTimestamp: "2026-01-01T00:00:00Z",
      labels,
    },
  };
}

function watcher(labelSelector: string, options: Partial<Watcher> = {}): Watcher {
  return {
    resource: siteResource,
    actor: { userId: "u" },
    accountId: null,
    selection: parseSelection(siteResource, labelSelector, ""),
    bookmarks: false,
    roots: [{ role: "VIEWER", path: PATHS.shop }],
    deliver: () => {},
    ...options,
  };
}

function event(
  type: CacheEvent["type"],
  object: ApiObject,
  previous: ApiObject | null,
  rv = 5n,
  account: { accountId: string; accountPath: string | null } = { accountId: "shop", accountPath: PATHS.shop },
): CacheEvent {
  return { rv, type, resource: siteResource, ...account, object, previous };
}

function rootedAt(...roots: RootMembership[]): Watcher {
  return watcher("", { roots });
}

const of = (name: keyof typeof PATHS) => ({ accountId: name, accountPath: PATHS[name] });

describe("transformForWatcher", () => {
  const before = site("blog", { team: "web" }, "4");
  const after = site("blog", { team: "ops" }, "5");

  it("passes ADDED, MODIFIED and DELETED through when the selector matches throughout", () => {
    const w = watcher("");
    expect(transformForWatcher(w, event("ADDED", before, null))?.type).toBe("ADDED");
    expect(transformForWatcher(w, event("MODIFIED", after, before))?.type).toBe("MODIFIED");
    expect(transformForWatcher(w, event("DELETED", after, after))?.type).toBe("DELETED");
  });

  it("turns leaving the selector into DELETED (the old object at the new version) and entering into ADDED", () => {
    const leaving = transformForWatcher(watcher("team=web"), event("MODIFIED", after, before));
    expect(leaving).toEqual({
      type: "DELETED",
      object: { ...before, metadata: { ...before.metadata, resourceVersion: "5" } },
    });
    expect(transformForWatcher(watcher("team=ops"), event("MODIFIED", after, before))).toEqual({
      type: "ADDED",
      object: after,
    });
    expect(transformForWatcher(watcher("team=db"), event("MODIFIED", after, before))).toBeNull();
  });

  it("shows nothing of accounts the watcher does not reach, or outside its namespace", () => {
    expect(
      transformForWatcher(
        watcher("", { roots: [{ role: "OWNER", path: PATHS.rival }] }),
        event("ADDED", before, null),
      ),
    ).toBeNull();
    expect(transformForWatcher(watcher("", { accountId: "other" }), event("ADDED", before, null))).toBeNull();
  });

  it("shows a watcher rooted at a reseller the events of its grandchild account", () => {
    const reseller = rootedAt({ role: "VIEWER", path: PATHS.reseller });
    expect(transformForWatcher(reseller, event("ADDED", before, null, 5n, of("shop")))?.type).toBe("ADDED");
    expect(transformForWatcher(reseller, event("ADDED", before, null, 5n, of("reseller")))?.type).toBe(
      "ADDED",
    );
    // A namespaced watch of the grandchild, too.
    expect(
      transformForWatcher(
        watcher("", { roots: reseller.roots, accountId: "shop" }),
        event("DELETED", before, before, 6n, of("shop")),
      )?.type,
    ).toBe("DELETED");
  });

  it("shows a watcher rooted at a sibling nothing of the reseller's subtree, nor of the platform above", () => {
    const rival = rootedAt({ role: "OWNER", path: PATHS.rival });
    for (const name of ["reseller", "agency", "shop", "platform"] as const) {
      expect(transformForWatcher(rival, event("ADDED", before, null, 5n, of(name))), name).toBeNull();
    }
    expect(transformForWatcher(rival, event("ADDED", before, null, 5n, of("rival")))?.type).toBe("ADDED");
  });

  it("sends an event whose account path is unknown to nobody, the platform's operator included", () => {
    const unknown = { accountId: "gone", accountPath: null };
    const operator = rootedAt({ role: "OWNER", path: PATHS.platform });
    expect(transformForWatcher(operator, event("ADDED", before, null, 5n, unknown))).toBeNull();
    expect(
      transformForWatcher(
        watcher("", { roots: operator.roots, accountId: "gone" }),
        event("DELETED", before, before, 5n, unknown),
      ),
    ).toBeNull();
    expect(reaches([{ path: "/" }], null)).toBe(false);
  });

  it("shows a token-narrowed watcher only the token's subtree", () => {
    // The reseller's owner, calling with a token on the agency.
    const roots = narrowToToken([{ role: "OWNER", path: PATHS.reseller }], {
      accountPath: PATHS.agency,
      role: "VIEWER",
    });
    expect(roots).toEqual([{ role: "VIEWER", path: PATHS.agency }]);
    const token = rootedAt(...roots);
    expect(transformForWatcher(token, event("ADDED", before, null, 5n, of("shop")))?.type).toBe("ADDED");
    expect(transformForWatcher(token, event("ADDED", before, null, 5n, of("agency")))?.type).toBe("ADDED");
    expect(transformForWatcher(token, event("ADDED", before, null, 5n, of("reseller")))).toBeNull();
    expect(transformForWatcher(token, event("ADDED", before, null, 5n, of("rival")))).toBeNull();
    // A token on an account the user does not reach leaves no root at all.
    expect(
      narrowToToken([{ role: "OWNER", path: PATHS.reseller }], { accountPath: PATHS.rival, role: "OWNER" }),
    ).toEqual([]);
  });

  it("does not take a path that merely starts like a root's for one below it", () => {
    // Paths end with "/", so a root "/plat/res/" never covers "/plat/reseller2/".
    expect(reaches([{ path: PATHS.reseller }], "/plat/reseller2/")).toBe(false);
    expect(reaches([{ path: PATHS.reseller }], "/plat/res/x/")).toBe(true);
  });
});
