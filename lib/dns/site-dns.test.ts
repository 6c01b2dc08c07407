import { describe, expect, it } from "vitest";
import { compareResolution, type DnsResolution, isApex, recordsToCreate, zoneOf } from "./site-dns";

const dualStack = { addresses: ["203.0.113.10", "2001:db8::10"], hostname: null };
const withHostname = { addresses: ["203.0.113.10"], hostname: "lb.example.net" };

describe("zoneOf / isApex", () => {
  it("takes the last two labels, or three under a common two-label suffix", () => {
    expect(zoneOf("example.com")).toBe("example.com");
    expect(zoneOf("blog.example.com")).toBe("example.com");
    expect(zoneOf("a.b.example.com")).toBe("example.com");
    expect(zoneOf("example.co.uk")).toBe("example.co.uk");
    expect(zoneOf("www.example.co.uk")).toBe("example.co.uk");
    expect(isApex("example.com")).toBe(true);
    expect(isApex("example.co.uk")).toBe(true);
    expect(isApex("www.example.com")).toBe(false);
  });
});

describe("recordsToCreate", () => {
  it("gives the apex an A record per IPv4 and an AAAA record per IPv6 address", () => {
    expect(recordsToCreate("example.com", dualStack)).toEqual([
      { type: "A", name: "example.com", host: "@", value: "203.0.113.10" },
      { type: "AAAA", name: "example.com", host: "@", value: "2001:db8::10" },
    ]);
  });

  it("gives a name below the apex a CNAME to the platform's hostname when it has one", () => {
    expect(recordsToCreate("www.example.com", withHostname)).toEqual([
      { type: "CNAME", name: "www.example.com", host: "www", value: "lb.example.net" },
    ]);
    expect(recordsToCreate("shop.eu.example.co.uk", withHostname)).toEqual([
      { type: "CNAME", name: "shop.eu.example.co.uk", host: "shop.eu", value: "lb.example.net" },
    ]);
  });

  it("never a CNAME at the apex, where DNS allows none", () => {
    expect(recordsToCreate("example.com", withHostname)).toEqual([
      { type: "A", name: "example.com", host: "@", value: "203.0.113.10" },
    ]);
    expect(recordsToCreate("example.co.uk", withHostname).map((r) => r.type)).toEqual(["A"]);
  });

  it("gives a name below the apex A/AAAA records when the platform has no hostname", () => {
    expect(recordsToCreate("blog.example.test", dualStack)).toEqual([
      { type: "A", name: "blog.example.test", host: "blog", value: "203.0.113.10" },
      { type: "AAAA", name: "blog.example.test", host: "blog", value: "2001:db8::10" },
    ]);
  });
});

const resolved = (addresses: string[], cname: string | null = null): DnsResolution => ({
  lookup: { outcome: "addresses", addresses },
  cname,
});

describe("compareResolution", () => {
  it("points here when every address is the platform's, however it is spelled", () => {
    expect(compareResolution(resolved(["2001:DB8:0::10", "203.0.113.10"]), dualStack)).toEqual({
      state: "points_here",
      addresses: ["2001:db8::10", "203.0.113.10"],
      cname: null,
    });
    // One of two addresses is enough: every visitor lands here.
    expect(compareResolution(resolved(["203.0.113.10"]), dualStack).state).toBe("points_here");
  });

  it("points elsewhere when any address is not the platform's, naming those", () => {
    expect(compareResolution(resolved(["203.0.113.10", "198.51.100.1"]), dualStack)).toEqual({
      state: "points_elsewhere",
      addresses: ["203.0.113.10", "198.51.100.1"],
      elsewhere: ["198.51.100.1"],
      cname: null,
    });
  });

  it("points here through a CNAME to the platform's hostname, whatever that resolves to", () => {
    expect(compareResolution(resolved(["192.0.2.99"], "LB.example.net."), withHostname)).toEqual({
      state: "points_here",
      addresses: ["192.0.2.99"],
      cname: "LB.example.net.",
    });
    expect(
      compareResolution(
        { lookup: { outcome: "failed", reason: "timeout" }, cname: "lb.example.net" },
        withHostname,
      ).state,
    ).toBe("points_here");
  });

  it("points elsewhere for a CNAME to another name that does not resolve", () => {
    expect(
      compareResolution({ lookup: { outcome: "not_found" }, cname: "old-host.example.org" }, withHostname),
    ).toEqual({ state: "points_elsewhere", addresses: [], elsewhere: [], cname: "old-host.example.org" });
  });

  it("says no record found, or that the lookup failed and why", () => {
    expect(compareResolution({ lookup: { outcome: "not_found" }, cname: null }, dualStack)).toEqual({
      state: "not_found",
    });
    expect(
      compareResolution({ lookup: { outcome: "addresses", addresses: [] }, cname: null }, dualStack),
    ).toEqual({
      state: "not_found",
    });
    expect(
      compareResolution({ lookup: { outcome: "failed", reason: "timeout" }, cname: null }, dualStack),
    ).toEqual({ state: "lookup_failed", reason: "timeout" });
    expect(
      compareResolution(
        { lookup: { outcome: "failed", reason: "error", code: "EAI_AGAIN" }, cname: null },
        dualStack,
      ),
    ).toEqual({ state: "lookup_failed", reason: "error", code: "EAI_AGAIN" });
  });
});
