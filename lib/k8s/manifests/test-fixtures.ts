import type { SuspendedPageSettings } from "./suspended-page";
import {
  type ClusterSettings,
  DEFAULT_PHP,
  DEFAULT_RESOURCES,
  type SiteManifestSpec,
  WORDPRESS_SALT_KEYS,
} from "./types";

/** A valid WordPress site spec for unit tests; override what a test is about. */
export function exampleSiteSpec(overrides: Partial<SiteManifestSpec> = {}): SiteManifestSpec {
  const salts = Object.fromEntries(
    WORDPRESS_SALT_KEYS.map((k) => [k, `salt-${k}`]),
  ) as SiteManifestSpec["salts"];
  return {
    siteId: "site123",
    accountId: "acct456",
    accountSlug: "acme",
    name: "blog",
    app: "WORDPRESS",
    phpVersion: "8.3",
    runtimeImage: "sitepod.local/runtime:php8.3",
    platformHostname: "blog-acme.sites.example.net",
    siteUrlScheme: "https",
    wordpress: {
      generation: 1,
      completed: true,
      title: "Acme Blog",
      adminUser: "admin",
      adminEmail: "owner@example.com",
    },
    wordpressVersion: "6.8",
    domains: ["blog.example.com", "www.blog.example.com"],
    storageSize: "5Gi",
    resources: DEFAULT_RESOURCES,
    replicas: 1,
    rollout: "RollingUpdate",
    env: {},
    database: { host: "db.example:3306", name: "wp_blog", user: "wp_blog", password: "s3cret" },
    salts,
    php: DEFAULT_PHP,
    ...overrides,
  };
}

export const exampleSettings: ClusterSettings = {
  routing: "gateway",
  gateway: { namespace: "sitepod-gateway", name: "sitepod" },
  gatewayPods: { namespace: "sitepod-gateway", selector: { "app.kubernetes.io/name": "traefik" } },
};

export const exampleIngressSettings: ClusterSettings = {
  ...exampleSettings,
  routing: "ingress",
  ingressClassName: "traefik",
};

export const exampleNetwork = {
  gatewayPods: exampleSettings.gatewayPods,
  databaseHost: "10.0.0.5:3307",
};

export const examplePageSettings: SuspendedPageSettings = {
  image: { kind: "runtime", image: "registry.example.test/sitepod/runtime:php8.4" },
  gatewayPods: exampleSettings.gatewayPods,
};
