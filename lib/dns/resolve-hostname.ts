/**
 * Looks a name up the way a visitor's machine would (the system resolver: /etc/hosts, then DNS),
 * and optionally its CNAME, each under a time limit.
 */
import { promises as dns } from "node:dns";
import { type DnsResolution, isNotFoundCode } from "@/lib/dns/site-dns";

/** What the site page waits at most for one name. */
export const DNS_CHECK_TIMEOUT_MS = 3_000;

export interface ResolverFunctions {
  /** All addresses of a name, as getaddrinfo gives them. */
  lookup(hostname: string): Promise<string[]>;
  /** The name's CNAME targets (DNS only). */
  resolveCname(hostname: string, timeoutMs: number): Promise<string[]>;
}

export const systemResolver: ResolverFunctions = {
  async lookup(hostname) {
    const answers = await dns.lookup(hostname, { all: true, verbatim: true });
    return answers.map((answer) => answer.address);
  },
  async resolveCname(hostname, timeoutMs) {
    // c-ares has a timeout of its own; one try, so that a dead server costs timeoutMs, not four.
    const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
    return resolver.resolveCname(hostname);
  },
};

class Timeout extends Error {}

/**
 * `promise`, or a Timeout after `ms`. getaddrinfo cannot be cancelled: a lookup that outlives the
 * limit finishes in libuv's thread pool and its answer is dropped.
 */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const codeOf = (err: unknown): string | undefined =>
  typeof err === "object" && err !== null && "code" in err && typeof err.code === "string"
    ? err.code
    : undefined;

/** The name's addresses (and its CNAME when `cname`), or why there are none. Never throws. */
export async function resolveHostname(
  hostname: string,
  options: { cname: boolean; timeoutMs?: number; resolver?: ResolverFunctions },
): Promise<DnsResolution> {
  const timeoutMs = options.timeoutMs ?? DNS_CHECK_TIMEOUT_MS;
  const resolver = options.resolver ?? systemResolver;
  const [lookup, cname] = await Promise.all([
    within(resolver.lookup(hostname), timeoutMs).then(
      (addresses): DnsResolution["lookup"] =>
        addresses.length > 0 ? { outcome: "addresses", addresses } : { outcome: "not_found" },
      (err: unknown): DnsResolution["lookup"] => {
        if (err instanceof Timeout) return { outcome: "failed", reason: "timeout" };
        const code = codeOf(err);
        if (isNotFoundCode(code)) return { outcome: "not_found" };
        return { outcome: "failed", reason: "error", ...(code ? { code } : {}) };
      },
    ),
    options.cname
      ? within(resolver.resolveCname(hostname, timeoutMs), timeoutMs).then(
          (targets) => targets[0] ?? null,
          // No CNAME, or no answer: the address lookup decides.
          () => null,
        )
      : Promise.resolve(null),
  ]);
  return { lookup, cname };
}
