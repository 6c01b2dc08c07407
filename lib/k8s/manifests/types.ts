import type { SiteIdentity } from "./labels";

export type SiteAppKind = "WORDPRESS" | "PHP";

/** The eight WordPress keys and salts, as wp-config.php names them. */
export const WORDPRESS_SALT_KEYS = [
  "AUTH_KEY",
  "SECURE_AUTH_KEY",
  "LOGGED_IN_KEY",
  "NONCE_KEY",
  "AUTH_SALT",
  "SECURE_AUTH_SALT",
  "LOGGED_IN_SALT",
  "NONCE_SALT",
] as const;
export type WordpressSaltKey = (typeof WORDPRESS_SALT_KEYS)[number];

export interface SiteDatabaseCredentials {
  /** host or host:port, as the WordPress image's WORDPRESS_DB_HOST expects it. */
  host: string;
  name: string;
  user: string;
  password: string;
}

export interface SiteResources {
  php: { cpuRequest: string; memoryRequest: string; cpuLimit: string; memoryLimit: string };
  nginx: { cpuRequest: string; memoryRequest: string; cpuLimit: string; memoryLimit: string };
}

/** What the WordPress install Job needs (WordPress sites only). */
export interface WordpressInstallSpec {
  /** The Job is `<site>-install-<generation>`: a retried install is a new Job (Site.installGeneration). */
  generation: number;
  /** The Job of this generation succeeded (Site.installedAt): neither it nor its Secret is rendered. */
  completed: boolean;
  /** WordPress's blogname. */
  title: string;
  adminUser: string;
  adminEmail: string;
  /**
   * Generated when the site was created and shown to its owner once; dropped from the site's
   * secrets once WordPress (which keeps its own hash) is installed. Unset: none is known any more.
   */
  adminPassword?: string;
}

/** Everything the builders need about one site: plain data, already validated and decrypted. */
export interface SiteManifestSpec extends SiteIdentity {
  accountSlug: string;
  app: SiteAppKind;
  /** "8.3" */
  phpVersion: string;
  /** The runtime image (nginx + php-fpm) for phpVersion, from the runtime catalog. */
  runtimeImage: string;
  /** `<site>-<account>.<sites base domain>`: the site answers on it whatever its own domains. */
  platformHostname: string;
  /** The scheme browsers reach the site with: "https" when the gateway terminates TLS for it. */
  siteUrlScheme: "http" | "https";
  /** The gateway's public port when it is not the scheme's default (a local cluster); unset otherwise. */
  sitePublicPort?: number;
  /** WordPress sites: the install Job's inputs and state. */
  wordpress?: WordpressInstallSpec;
  /** "6.8"; used for WordPress sites only. */
  wordpressVersion: string;
  /** Hostnames, primary first. An empty list renders no Ingress. */
  domains: string[];
  /** Kubernetes quantity, e.g. "5Gi". */
  storageSize: string;
  resources: SiteResources;
  database: SiteDatabaseCredentials;
  salts: Record<WordpressSaltKey, string>;
  /** php.ini memory_limit and upload sizes follow the container's memory. */
  php: { memoryLimit: string; uploadMaxSize: string; maxChildren: number };
  /**
   * The account is suspended: the site runs no pods (its volume, Secret and database stay) and its
   * hostnames are served the account's suspended page.
   */
  suspended?: boolean;
}

/** Cluster-wide choices, read from the environment by the reconciler. */
export interface ClusterSettings {
  /** Unset: the cluster's default StorageClass. */
  storageClassName?: string;
  ingressClassName: string;
  /** Set: Ingresses get TLS and the cert-manager cluster-issuer annotation. */
  clusterIssuer?: string;
  nginxImage: string;
  /** Namespace of the ingress controller: the only one whose pods may reach site pods. */
  ingressNamespace: string;
}

export const DEFAULT_RESOURCES: SiteResources = {
  php: { cpuRequest: "100m", memoryRequest: "192Mi", cpuLimit: "1", memoryLimit: "384Mi" },
  nginx: { cpuRequest: "20m", memoryRequest: "32Mi", cpuLimit: "250m", memoryLimit: "64Mi" },
};

export const DEFAULT_PHP = { memoryLimit: "256M", uploadMaxSize: "64M", maxChildren: 5 };

export function clusterSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ClusterSettings {
  return {
    storageClassName: env.SITEPOD_STORAGE_CLASS || undefined,
    ingressClassName: env.SITEPOD_INGRESS_CLASS || "nginx",
    clusterIssuer: env.SITEPOD_CLUSTER_ISSUER || undefined,
    nginxImage: env.SITEPOD_NGINX_IMAGE || "nginxinc/nginx-unprivileged:1.29-alpine",
    ingressNamespace: env.SITEPOD_INGRESS_NAMESPACE || "ingress-nginx",
  };
}
