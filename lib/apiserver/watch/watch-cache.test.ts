import { describe, expect, it } from "vitest";
import { parseSelection } from "../objects";
import { siteResource } from "../resources/site";
import type { ApiObject } from "../types";
import { type CacheEvent, transformForWatcher, type Watcher } from "./watch-cache";

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
    allowed: new Set(["acct"]),
    deliver: () => {},
    ...options,
  };
}

function event(type: CacheEvent["type"], object: ApiObject, previous: ApiObject | null, rv = 5n): CacheEvent {
  return { rv, type, resource: siteResource, accountId: "acct", object, previous };
}

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
      transformForWatcher(watcher("", { allowed: new Set(["other"]) }), event("ADDED", before, null)),
    ).toBeNull();
    expect(transformForWatcher(watcher("", { accountId: "other" }), event("ADDED", before, null))).toBeNull();
  });
});
