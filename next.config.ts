import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and Node-only packages are loaded from node_modules at runtime instead of being bundled.
  serverExternalPackages: [
    "@node-rs/argon2",
    "@kubernetes/client-node",
    "mariadb",
    "@prisma/adapter-mariadb",
  ],
};

export default nextConfig;
