/**
 * Runs once per web process before it serves requests (Next.js instrumentation hook).
 * Records each request's socket address for lib/http/client-address.ts, and checks
 * SITEPOD_TRUSTED_PROXIES now: a typo stops the panel (Next alone would keep running and answer
 * every request with 500) rather than trusting the wrong hops. SITEPOD_SITES_BASE_DOMAIN and
 * SITEPOD_SITES_BASE_URL_SCHEME/_PORT too: every site page links to the platform hostname.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHook, trustedProxies } = await import("@/lib/http/client-address");
  const { platformUrl } = await import("@/lib/k8s/manifests/platform-hostname");
  try {
    trustedProxies();
    // Reads SITEPOD_SITES_BASE_DOMAIN, _SCHEME and _PORT.
    platformUrl("example");
  } catch (err) {
    const { log } = await import("@/lib/log");
    log.error("invalid configuration", { err });
    process.exit(1);
  }
  installPeerAddressHook();
}
