/**
 * Runs once per web process before it serves requests (Next.js instrumentation hook).
 * Records each request's socket address for lib/http/client-address.ts, and checks
 * SITEPOD_TRUSTED_PROXIES now: a typo stops the panel (Next alone would keep running and answer
 * every request with 500) rather than trusting the wrong hops. SITEPOD_SITES_BASE_DOMAIN and
 * SITEPOD_SITES_BASE_URL_SCHEME/_PORT too: every site page links to the platform hostname. And
 * SITEPOD_SMTP_URL: a mistyped mail server would otherwise only show when a reset link fails to go out.
 * SITEPOD_PUBLIC_ADDRESSES/_HOSTNAME: every site page tells its owner which DNS records to create.
 * SITEPOD_APISERVER_URL/_CA_FILE: what every downloaded kubeconfig points at and trusts.
 */
import type { Instrumentation } from "next";
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHook, trustedProxies } = await import("@/lib/http/client-address");
  const { platformUrl } = await import("@/lib/k8s/manifests/platform-hostname");
  const { parseSmtpUrl } = await import("@/lib/mail/smtp-config");
  const { publicDnsTargets } = await import("@/lib/dns/public-dns-targets");
  const { apiServerEndpoint } = await import("@/lib/apiserver/endpoint");
  try {
    trustedProxies();
    // Reads SITEPOD_SITES_BASE_DOMAIN, _SCHEME and _PORT.
    platformUrl("example");
    if (process.env.SITEPOD_SMTP_URL?.trim()) parseSmtpUrl(process.env.SITEPOD_SMTP_URL);
    publicDnsTargets();
    apiServerEndpoint();
  } catch (err) {
    const { log } = await import("@/lib/log");
    log.error("invalid configuration", { err });
    process.exit(1);
  }
  installPeerAddressHook();
}

/**
 * A page or route whose render met a database that does not answer (its error carries the digest
 * of lib/db/unavailable.ts) is logged as one structured warning with where it happened; Next.js
 * logs every other error itself.
 */
export const onRequestError: Instrumentation.onRequestError = async (err, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { DATABASE_UNAVAILABLE_DIGEST, isDatabaseUnavailable } = await import("@/lib/db/unavailable");
  const digest = typeof err === "object" && err !== null && "digest" in err ? String(err.digest) : undefined;
  if (digest !== DATABASE_UNAVAILABLE_DIGEST && !isDatabaseUnavailable(err)) return;
  const { log } = await import("@/lib/log");
  log.warn("database unavailable", {
    event: "db.unavailable",
    method: request.method,
    path: request.path,
    routePath: context.routePath,
    routeType: context.routeType,
    err,
  });
};
