import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  addressBlock,
  clientAddress,
  installPeerAddressHook,
  normalizeAddress,
  PEER_ADDRESS_HEADER,
  parseTrustedProxies,
  requestClientAddress,
} from "./client-address";

const none = parseTrustedProxies("");

describe("parseTrustedProxies", () => {
  it("accepts IPv4 and IPv6 addresses and CIDR ranges", () => {
    const trusted = parseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::1 ");
    expect(trusted.size).toBe(4);
    expect(trusted.has("10.200.3.4")).toBe(true);
    expect(trusted.has("192.0.2.7")).toBe(true);
    expect(trusted.has("192.0.2.8")).toBe(false);
    expect(trusted.has("2001:db8:1::5")).toBe(true);
    expect(trusted.has("2001:db9::5")).toBe(false);
    expect(trusted.has("::1")).toBe(true);
    expect(trusted.has("not-an-ip")).toBe(false);
  });

  it("trusts nothing when empty or unset", () => {
    expect(parseTrustedProxies(undefined).size).toBe(0);
    expect(parseTrustedProxies(" , ").has("127.0.0.1")).toBe(false);
  });

  it.each(["10.0.0.0/33", "2001:db8::/129", "localhost", "10.0.0.1/8/1", "10.0.0/8", "10.0.0.0/x"])(
    "refuses %s, naming it",
    (entry) => {
      expect(() => parseTrustedProxies(`192.0.2.1,${entry}`)).toThrow(
        `SITEPOD_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range.`,
      );
    },
  );
});

describe("normalizeAddress", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    [" ::ffff:192.0.2.1 ", "192.0.2.1"],
    ["192.0.2.1:8080", "192.0.2.1"],
    ["[2001:DB8:0:0::1]:443", "2001:db8::1"],
    ["2001:db8:0:0:0:0:0:1", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["unknown", null],
    ["", null],
    [null, null],
  ])("%s -> %s", (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });
});

describe("addressBlock", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:db8:0:1::", "2001:db8:0:1::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s -> %s", (address, expected) => {
    expect(addressBlock(address)).toBe(expected);
  });
});

describe("clientAddress", () => {
  it("ignores X-Forwarded-For when no proxy is trusted: the socket address wins", () => {
    expect(clientAddress({ peer: "203.0.113.9", forwardedFor: "198.51.100.1", trusted: none })).toBe(
      "203.0.113.9",
    );
  });

  it("walks X-Forwarded-For from the right past trusted proxies only", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8");
    // The client forged the leftmost entry; the proxy appended the real client, 203.0.113.9.
    const forwardedFor = "198.51.100.66, 203.0.113.9, 10.1.1.1";
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor, trusted })).toBe("203.0.113.9");
  });

  it("does not take the word of an untrusted peer", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8");
    expect(clientAddress({ peer: "203.0.113.9", forwardedFor: "10.0.0.5", trusted })).toBe("203.0.113.9");
  });

  it("stops at the trusted hop that passed on something that is not an address", () => {
    const trusted = parseTrustedProxies("10.0.0.2");
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: "garbage", trusted })).toBe("10.0.0.2");
    expect(clientAddress({ peer: "10.0.0.2", forwardedFor: null, trusted })).toBe("10.0.0.2");
  });

  it("answers null without a peer address", () => {
    expect(clientAddress({ peer: null, forwardedFor: "198.51.100.1", trusted: none })).toBeNull();
  });
});

describe("the peer address hook", () => {
  it("stamps the socket address over a forged header, so a forged X-Forwarded-For is ignored", async () => {
    installPeerAddressHook();
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push({ ...req.headers });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/`, {
        headers: { [PEER_ADDRESS_HEADER]: "198.51.100.66", "x-forwarded-for": "198.51.100.66" },
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen[0]?.[PEER_ADDRESS_HEADER]).toBe("127.0.0.1");
    expect(requestClientAddress(seen[0])).toBe("127.0.0.1");
    expect(requestClientAddress(new Headers(seen[0] as Record<string, string>))).toBe("127.0.0.1");
  });
});
