import { describe, expect, it } from "vitest";
import { accountCrumbs, accountHome, reachableAncestors } from "@/components/shell/account-trail";

const platform = { id: "p", slug: "platform", name: "Platform", kind: "PLATFORM", parentId: null } as const;
const agency = { id: "a", slug: "pixel", name: "Pixel Agency", kind: "AGENCY", parentId: "p" } as const;
const client = { id: "c", slug: "north", name: "Northwind", kind: "CUSTOMER", parentId: "a" } as const;

describe("reachableAncestors", () => {
  it("lists the reachable accounts above, outermost first", () => {
    expect(reachableAncestors([platform, agency, client], client).map((a) => a.slug)).toEqual([
      "platform",
      "pixel",
    ]);
  });

  it("stops at the first account above that the user does not reach", () => {
    // An agency's owner reaches the agency and its clients, not the platform.
    expect(reachableAncestors([agency, client], client).map((a) => a.slug)).toEqual(["pixel"]);
    expect(reachableAncestors([agency, client], agency)).toEqual([]);
  });
});

describe("accountCrumbs", () => {
  it("leads from a client back to the agency's clients, naming the page last without a link", () => {
    expect(accountCrumbs([agency, client], client, "sites", "blog")).toEqual([
      { label: "Pixel Agency", href: "/accounts/pixel" },
      { label: "Clients", href: "/accounts/pixel/customers" },
      { label: "Northwind", href: "/accounts/north" },
      { label: "Sites", href: "/accounts/north/sites" },
      { label: "blog" },
    ]);
  });

  it("ends on the account itself on its account page", () => {
    expect(accountCrumbs([agency, client], client, "account")).toEqual([
      { label: "Pixel Agency", href: "/accounts/pixel" },
      { label: "Clients", href: "/accounts/pixel/customers" },
      { label: "Northwind" },
    ]);
  });

  it("names the accounts below by what each account calls them", () => {
    const labels = accountCrumbs([platform, agency, client], client, "members").map((c) => c.label);
    expect(labels).toEqual(["Platform", "Accounts", "Pixel Agency", "Clients", "Northwind", "Members"]);
  });

  it("has no crumbs on a top-level page of the user's own account, and the area above a page inside it", () => {
    expect(accountCrumbs([agency, client], agency, "accountsBelow")).toEqual([]);
    expect(accountCrumbs([agency], agency, "sites", "New site")).toEqual([
      { label: "Pixel Agency", href: "/accounts/pixel" },
      { label: "Sites", href: "/accounts/pixel/sites" },
      { label: "New site" },
    ]);
  });
});

describe("accountHome", () => {
  it("opens a provider on the accounts below it and a customer on its sites", () => {
    expect(accountHome({ slug: "pixel", kind: "AGENCY", role: "OWNER" })).toBe("/accounts/pixel/customers");
    expect(accountHome({ slug: "north", kind: "CUSTOMER", role: "OWNER" })).toBe("/accounts/north/sites");
  });
});
