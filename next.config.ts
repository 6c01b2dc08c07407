import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
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
