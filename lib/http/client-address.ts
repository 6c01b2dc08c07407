/**
 * The address of the client behind a request, for the sign-in throttle and the audit trail.
 *
 * Next.js (16.x, `next start`) exposes no socket address to route handlers, server components or
 * next-auth; it only sets `X-Forwarded-For` to the socket address when the client sent none
 * (`req.headers['x-forwarded-for'] ??= socket.remoteAddress` in next/dist/server/base-server.js).
 * A client that sends its own `X-Forwarded-For` therefore chooses every entry, the rightmost
 * included. So the panel records the socket address itself: instrumentation.ts installs
 * installPeerAddressHook, which overwrites PEER_ADDRESS_HEADER on every incoming request with the
 * socket's remote address before Next sees the request (whatever the client sent under that name is
 * replaced). Without the hook (a process that did not run instrumentation.ts) that header is not
 * trusted and the address is unknown (null).
 *
 * Checked against a production build (`next build`, `next start`, Next 16.4.6): a request with
 * forged `X-Forwarded-For`, `X-Real-IP` and PEER_ADDRESS_HEADER values was throttled and written
 * to the audit log under its socket address (127.0.0.1); with SITEPOD_TRUSTED_PROXIES=127.0.0.1,
 * `X-Forwarded-For: 198.51.100.66, 203.0.113.9, 10.1.2.3` (10.0.0.0/8 trusted too) was counted as
 * 203.0.113.9.
 *
 * From the peer, the client address is found by walking `X-Forwarded-For` from the right while
 * the hop that handed us the request is a trusted proxy (SITEPOD_TRUSTED_PROXIES); the first
 * address not in that list is the client. With no trusted proxies the socket address wins and
 * `X-Forwarded-For` is ignored entirely.
 */
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { BlockList, isIP } from "node:net";

/** Set by the panel on every request; never taken from the client. */
export const PEER_ADDRESS_HEADER = "x-sitepod-peer-address";

export const TRUSTED_PROXIES_VARIABLE = "SITEPOD_TRUSTED_PROXIES";

/** Which hops may tell us who is behind them. */
export interface TrustedProxies {
  /** True when the address is one of the configured proxies. */
  has(address: string): boolean;
  /** How many entries were configured (0: trust nothing). */
  size: number;
}

/**
 * A literal IPv4 or IPv6 address in canonical form, or null. Accepts what proxies and Node write:
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1` -> `192.0.2.1`), brackets and ports (`[2001:db8::1]:443`,
 * `192.0.2.1:8080`) and IPv6 zone ids are stripped.
 */
export function normalizeAddress(raw: string | null | undefined): string | null {
  let value = raw?.trim();
  if (!value) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%.*$/, "").toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value);
  if (mapped?.[1]) value = mapped[1];
  const version = isIP(value);
  if (version === 0) return null;
  return version === 6 ? canonicalIpv6(value) : value;
}

/** One spelling per IPv6 address (BlockList needs none, but throttle keys and audit rows do). */
function canonicalIpv6(address: string): string {
  // node:net has no formatter; URL's host parser canonicalises IPv6 literals (RFC 5952).
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/**
 * What one client controls, for counting: an IPv4 address, or an IPv6 address's /64 (a single
 * host is usually handed a whole /64 and can pick any address in it).
 */
export function addressBlock(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * Parses SITEPOD_TRUSTED_PROXIES: comma-separated IPv4/IPv6 addresses and CIDR ranges
 * (`10.0.0.0/8, 2001:db8::/32, 192.0.2.7`). Empty or unset trusts nothing. Throws an Error naming
 * the bad entry, so that a typo stops the panel at startup rather than trusting the wrong hops.
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = "", prefix, extra] = entry.split("/");
    const version = isIP(address);
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    const max = version === 6 ? 128 : 32;
    if (version === 0 || extra !== undefined || (bits !== null && !(bits >= 0 && bits <= max))) {
      throw new Error(
        `${TRUSTED_PROXIES_VARIABLE}: "${entry}" is not an IP address or CIDR range. ` +
          "Use comma-separated entries such as 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32, or leave it empty to trust no proxy.",
      );
    }
    const type = version === 6 ? "ipv6" : "ipv4";
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return {
    size: entries.length,
    has(address) {
      const version = isIP(address);
      return version !== 0 && list.check(address, version === 6 ? "ipv6" : "ipv4");
    },
  };
}

let configured: TrustedProxies | undefined;

/** SITEPOD_TRUSTED_PROXIES, parsed once (instrumentation.ts parses it at startup to fail early). */
export function trustedProxies(): TrustedProxies {
  configured ??= parseTrustedProxies(process.env[TRUSTED_PROXIES_VARIABLE]);
  return configured;
}

/**
 * The client: `peer` (the socket's remote address) unless it is a trusted proxy, in which case
 * the rightmost `X-Forwarded-For` entry it appended, and so on leftwards while each hop is
 * trusted. An entry that is not an address ends the walk at the trusted hop that passed it on.
 * Only a trusted proxy's word is taken, so a client cannot choose the address it is counted under.
 */
export function clientAddress(options: {
  peer: string | null;
  forwardedFor: string | null;
  trusted: TrustedProxies;
}): string | null {
  let current = normalizeAddress(options.peer);
  if (!current) return null;
  const hops = (options.forwardedFor ?? "").split(",").reverse();
  for (const hop of hops) {
    if (!options.trusted.has(current)) return current;
    const next = normalizeAddress(hop);
    if (!next) return current;
    current = next;
  }
  return current;
}

/** A Fetch `Headers` (route handlers, next/headers) or Node's/next-auth's plain header record. */
export type HeaderSource = Pick<Headers, "get"> | Record<string, unknown> | undefined;

function header(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Pick<Headers, "get">).get === "function")
    return (headers as Pick<Headers, "get">).get(name);
  const value = (headers as Record<string, unknown>)[name];
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(String).join(", ");
  return null;
}

const HOOK_INSTALLED = Symbol.for("sitepod.peerAddressHook");

function hookInstalled(): boolean {
  return (globalThis as Record<symbol, unknown>)[HOOK_INSTALLED] === true;
}

/** The client address of a request handled by this process (see the top of this file). */
export function requestClientAddress(headers: HeaderSource): string | null {
  if (!hookInstalled()) return null;
  return clientAddress({
    peer: header(headers, PEER_ADDRESS_HEADER),
    forwardedFor: header(headers, "x-forwarded-for"),
    trusted: trustedProxies(),
  });
}

/**
 * Stamps every request this process's HTTP servers receive with the socket's remote address under
 * PEER_ADDRESS_HEADER, replacing anything the client sent. Node publishes
 * `http.server.request.start` synchronously before the server's "request" event, so Next only ever
 * sees the stamped header. Idempotent.
 */
export function installPeerAddressHook(): void {
  const global = globalThis as Record<symbol, unknown>;
  if (global[HOOK_INSTALLED]) return;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress ?? "";
  });
  global[HOOK_INSTALLED] = true;
}
