import { describe, expect, it } from "vitest";
import { parsePublicAddresses, parsePublicHostname, publicDnsTargets } from "./public-dns-targets";

describe("parsePublicAddresses", () => {
  it("defaults to the local gateway's loopback address when empty or unset", () => {
    expect(parsePublicAddresses(undefined)).toEqual(["127.0.0.1"]);
    expect(parsePublicAddresses(" , ")).toEqual(["127.0.0.1"]);
  });

  it("takes IPv4 and IPv6 addresses, canonical and without duplicates, in order", () => {
    expect(parsePublicAddresses(" 203.0.113.10, 2001:DB8:0:0::10 ,203.0.113.10,2001:db8::10")).toEqual([
      "203.0.113.10",
      "2001:db8::10",
    ]);
  });

  it("refuses anything else, naming the variable and the entry", () => {
    for (const entry of [
      "203.0.113",
      "203.0.113.10/32",
      "gateway.example.net",
      "256.0.0.1",
      "fe80::1%eth0",
    ]) {
      expect(() => parsePublicAddresses(`192.0.2.1, ${entry}`), entry).toThrow(
        `SITEPOD_PUBLIC_ADDRESSES: "${entry}" is not an IPv4 or IPv6 address.`,
      );
    }
  });
});

describe("parsePublicHostname", () => {
  it("is none when empty or unset", () => {
    expect(parsePublicHostname(undefined)).toBeNull();
    expect(parsePublicHostname("  ")).toBeNull();
  });

  it("lower-cases and drops a trailing dot", () => {
    expect(parsePublicHostname(" Sites.Example.NET. ")).toBe("sites.example.net");
  });

  it("refuses addresses, single labels and malformed names, naming the variable", () => {
    for (const value of [
      "203.0.113.10",
      "2001:db8::1",
      "gateway",
      "bad_name.example.net",
      "-x.example.net",
    ]) {
      expect(() => parsePublicHostname(value), value).toThrow(
        `SITEPOD_PUBLIC_HOSTNAME: "${value}" is not a hostname.`,
      );
    }
  });
});

describe("publicDnsTargets", () => {
  it("reads both variables", () => {
    expect(
      publicDnsTargets({
        SITEPOD_PUBLIC_ADDRESSES: "198.51.100.7",
        SITEPOD_PUBLIC_HOSTNAME: "lb.example.net",
      }),
    ).toEqual({ addresses: ["198.51.100.7"], hostname: "lb.example.net" });
    expect(publicDnsTargets({})).toEqual({ addresses: ["127.0.0.1"], hostname: null });
  });
});
