import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Every page's <title> is in the <head> of its first bytes, for every browser, not streamed in
  // after the content (Next's default outside a list of crawlers): a screen reader announces the
  // page by its title as it loads, and the tab never shows an empty one. The metadata reads the
  // same cached account the layout waits for anyway, so the first byte comes no later.
  htmlLimitedBots: /.*/,
  // On every response, assets and API included; the CSP (per-request nonce) and HSTS are set by proxy.ts.
  async headers() {
    return [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }];
  },
  // Native and Node-only packages are loaded from node_modules at runtime instead of being bundled.
  serverExternalPackages: [
    "@node-rs/argon2",
    "@kubernetes/client-node",
    "mariadb",
    "@prisma/adapter-mariadb",
  ],
};

export default nextConfig;
