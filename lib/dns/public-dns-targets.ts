/**
 * What customers point their domains' DNS at: the platform's public addresses (A/AAAA records) and,
 * optionally, a hostname for CNAME records below a customer's domain. Read from the environment
 * and validated with zod; instrumentation.ts reads them once at startup, so that a typo stops the
 * panel instead of telling every customer to create a wrong record.
 */
import { z } from "zod";

type Env = Record<string, string | undefined>;

export const PUBLIC_ADDRESSES_VARIABLE = "SITEPOD_PUBLIC_ADDRESSES";
export const PUBLIC_HOSTNAME_VARIABLE = "SITEPOD_PUBLIC_HOSTNAME";

/** A local install: the local gateway listens on loopback only (cluster/node.ts, the forwarder). */
export const DEFAULT_PUBLIC_ADDRESSES: readonly string[] = ["127.0.0.1"];

export interface PublicDnsTargets {
  /** IPv4 and IPv6 addresses, canonical, no duplicates, in the order given. */
  addresses: string[];
  /** The CNAME target for names below a customer's domain; null: A/AAAA records everywhere. */
  hostname: string | null;
}

const ipAddressSchema = z.union([z.ipv4(), z.ipv6()]);

const hostnameSchema = z
  .string()
  .max(253)
  .pipe(z.hostname())
  // A CNAME names a host, never an address; addresses go in SITEPOD_PUBLIC_ADDRESSES.
  .refine((value) => ipAddressSchema.safeParse(value).success === false)
  // One label is no name a resolver outside this machine can find.
  .refine((value) => value.includes("."));

/** One spelling per address, so that resolved addresses compare equal to configured ones. */
export function canonicalAddress(address: string): string {
  if (!address.includes(":")) return address;
  // URL's host parser writes IPv6 literals in their canonical form (RFC 5952).
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/**
 * SITEPOD_PUBLIC_ADDRESSES: comma-separated IPv4/IPv6 addresses; empty or unset: 127.0.0.1.
 * Throws an Error naming the variable and the bad entry.
 */
export function parsePublicAddresses(value: string | undefined): string[] {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return [...DEFAULT_PUBLIC_ADDRESSES];
  const addresses: string[] = [];
  for (const entry of entries) {
    if (!ipAddressSchema.safeParse(entry).success) {
      throw new Error(
        `${PUBLIC_ADDRESSES_VARIABLE}: "${entry}" is not an IPv4 or IPv6 address. ` +
          "Use comma-separated addresses customers point A and AAAA records at, such as 203.0.113.10, 2001:db8::10 " +
          `(unset: ${DEFAULT_PUBLIC_ADDRESSES.join(", ")}, for a local install).`,
      );
    }
    const canonical = canonicalAddress(entry.toLowerCase());
    if (!addresses.includes(canonical)) addresses.push(canonical);
  }
  return addresses;
}

/**
 * SITEPOD_PUBLIC_HOSTNAME: a hostname names below a customer's domain may CNAME to; empty or
 * unset: none. Lower-cased, without a trailing dot. Throws an Error naming the variable.
 */
export function parsePublicHostname(value: string | undefined): string | null {
  const raw = value?.trim() ?? "";
  if (raw === "") return null;
  const hostname = raw.toLowerCase().replace(/\.$/, "");
  if (!hostnameSchema.safeParse(hostname).success) {
    throw new Error(
      `${PUBLIC_HOSTNAME_VARIABLE}: "${raw}" is not a hostname. Use a name with at least one dot that ` +
        "resolves to the platform's gateway, such as sites.example.net (not an address: those go in " +
        `${PUBLIC_ADDRESSES_VARIABLE}), or leave it unset for A/AAAA records everywhere.`,
    );
  }
  return hostname;
}

/** Both settings from `env`; throws with the variable's name on a bad value. */
export function publicDnsTargets(env: Env = process.env): PublicDnsTargets {
  return {
    addresses: parsePublicAddresses(env[PUBLIC_ADDRESSES_VARIABLE]),
    hostname: parsePublicHostname(env[PUBLIC_HOSTNAME_VARIABLE]),
  };
}
