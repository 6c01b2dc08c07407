/**
 * Runs once per web process before it serves requests (Next.js instrumentation hook).
 * Records each request's socket address for lib/http/client-address.ts, and checks
 * SITEPOD_TRUSTED_PROXIES now, so that a typo stops the panel instead of trusting the wrong hops.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHook, trustedProxies } = await import("@/lib/http/client-address");
  trustedProxies();
  installPeerAddressHook();
}
