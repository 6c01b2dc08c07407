import type { SitePlacement } from "@/lib/k8s/manifests/placement";
import { siteContainerResources } from "@/lib/quota/site-footprint";
import {
  DEFAULT_PHP_SETTINGS,
  DEFAULT_SITE_RESOURCES,
  type PhpSettings,
} from "@/lib/validation/site-settings";
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
  /** "8.4" */
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
  /** The site's own hostnames, primary first. */
  domains: string[];
  /**
   * Of `domains`, those that answer with a 301 to the primary (never the primary). Gateway mode
   * only; Ingresses cannot redirect and serve them as aliases (routingLimitations says so).
   */
  redirectDomains?: string[];
  /** The site asks for http:// on its own domains to redirect to https://. */
  forceHttps?: boolean;
  /**
   * Of `domains`, those with an issued certificate (Domain.tlsStatus): force HTTPS and redirects
   * to https:// apply to these only, so that no visitor is sent where no certificate answers.
   */
  httpsDomains?: string[];
  /** Kubernetes quantity, e.g. "5Gi". */
  storageSize: string;
  /** From siteContainerResources (lib/quota/site-footprint.ts): what the plan counts. */
  resources: SiteResources;
  /** Pods the site runs when it runs (replicaLimit). */
  replicas: number;
  /**
   * How pods are replaced: RollingUpdate (a new pod is Ready before the old one stops; needs the
   * plan's room for one more pod) or Recreate (a short outage, but never stuck on the quota).
   */
  rollout: "RollingUpdate" | "Recreate";
  /** The site's own environment variables (secret values already opened). */
  env: Record<string, string>;
  database: SiteDatabaseCredentials;
  salts: Record<WordpressSaltKey, string>;
  /** php.ini (the site's PHP settings) and the php-fpm pool size. */
  php: PhpSettings & { maxChildren: number };
  /**
   * The account is suspended: the site runs no pods (its volume, Secret and database stay) and its
   * hostnames are served the account's suspended page.
   */
  suspended?: boolean;
  /** The operator's node selector and tolerations for site pods (lib/k8s/manifests/placement.ts). */
  placement?: SitePlacement;
  /**
   * Databases given to the site (lib/k8s/manifests/database-env.ts): `<prefix>DB_HOST` ... for
   * each, merged into the site's environment after its own variables. Unset: none.
   */
  attachedDatabaseEnv?: Record<string, string>;
}

/** How site hostnames reach the site: Gateway API HTTPRoutes (default) or plain Ingresses. */
export type RoutingMode = "gateway" | "ingress";

export interface GatewayRef {
  namespace: string;
  name: string;
}

/** The pods that forward visitors' requests to site pods: the only ones the tenant policies admit. */
export interface GatewayPods {
  namespace: string;
  /** matchLabels of the pods in that namespace; empty selects every pod there. */
  selector: Record<string, string>;
}

/** Every hostname the site answers on: its domains (primary first), then the platform hostname. */
export function siteHostnames(spec: Pick<SiteManifestSpec, "domains" | "platformHostname">): string[] {
  return [...new Set([...spec.domains, spec.platformHostname])];
}

/** Cluster-wide choices, read from the environment by the reconciler. */
export interface ClusterSettings {
  /** Unset: the cluster's default StorageClass. */
  storageClassName?: string;
  routing: RoutingMode;
  /** The operator's Gateway every HTTPRoute attaches to (gateway mode). */
  gateway: GatewayRef;
  /** IngressClass of the Ingresses (ingress mode); unset: the cluster's default IngressClass. */
  ingressClassName?: string;
  /**
   * Set: the platform issues certificates. Ingresses get TLS and the cert-manager cluster-issuer
   * annotation (ingress mode); the reconciler reads each domain's Certificate (both modes).
   */
  clusterIssuer?: string;
  /**
   * Gateway mode, force HTTPS: the Gateway listener plain HTTP arrives on (sectionName), where
   * the redirect to https:// attaches (SITEPOD_GATEWAY_HTTP_LISTENER; default "http").
   */
  gatewayHttpListener?: string;
  /**
   * Gateway mode, force HTTPS: the port of the Gateway's HTTPS listeners, where the site's
   * forced domains are served (SITEPOD_GATEWAY_HTTPS_PORT; default 443).
   */
  gatewayHttpsPort?: number;
  /**
   * SITEPOD_NGINX_IMAGE: an nginx-unprivileged-style image (uid 101, config in
   * /etc/nginx/conf.d) for the suspended page. Unset: the page runs on the newest runtime image.
   */
  nginxImage?: string;
  gatewayPods: GatewayPods;
}

/** What a site without settings of its own runs with. */
export const DEFAULT_RESOURCES: SiteResources = siteContainerResources(DEFAULT_SITE_RESOURCES);

export const PHP_FPM_MAX_CHILDREN = 5;
export const DEFAULT_PHP: PhpSettings & { maxChildren: number } = {
  ...DEFAULT_PHP_SETTINGS,
  maxChildren: PHP_FPM_MAX_CHILDREN,
};

export const DEFAULT_GATEWAY = "sitepod-gateway/sitepod";
export const DEFAULT_GATEWAY_POD_SELECTOR = "app.kubernetes.io/name=traefik";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** SITEPOD_GATEWAY: "namespace/name" of the operator's Gateway. */
export function parseGatewayRef(value: string): GatewayRef {
  const [namespace = "", name = "", ...rest] = value.trim().split("/");
  if (rest.length > 0 || !DNS_LABEL.test(namespace) || !DNS_SUBDOMAIN.test(name)) {
    throw new Error(
      `SITEPOD_GATEWAY "${value}" is not valid: give the Gateway as namespace/name (e.g. ${DEFAULT_GATEWAY}).`,
    );
  }
  return { namespace, name };
}

function validLabelKey(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  return (prefix === undefined || DNS_SUBDOMAIN.test(prefix)) && LABEL_KEY_NAME.test(name ?? "");
}

/**
 * SITEPOD_GATEWAY_POD_SELECTOR: equality labels "k=v,k2=v2" (what matchLabels can say). The empty
 * string parses to no labels (every pod); the settings treat an empty variable as unset.
 */
export function parseLabelSelector(value: string): Record<string, string> {
  const selector: Record<string, string> = {};
  const text = value.trim();
  if (text === "") return selector;
  for (const part of text.split(",")) {
    const [key = "", labelValue, ...rest] = part.trim().split("=");
    if (rest.length > 0 || labelValue === undefined || !validLabelKey(key) || !LABEL_VALUE.test(labelValue)) {
      throw new Error(
        `SITEPOD_GATEWAY_POD_SELECTOR "${value}" is not valid: give labels as key=value pairs separated by commas (e.g. ${DEFAULT_GATEWAY_POD_SELECTOR}).`,
      );
    }
    selector[key] = labelValue;
  }
  return selector;
}

function parseRouting(value: string | undefined): RoutingMode {
  const mode = value?.trim().toLowerCase() || "gateway";
  if (mode !== "gateway" && mode !== "ingress") {
    throw new Error(
      `SITEPOD_ROUTING "${value}" is not valid: use gateway (Gateway API HTTPRoutes) or ingress (for clusters without the Gateway API).`,
    );
  }
  return mode;
}

function gatewayPodsFromEnv(
  env: Record<string, string | undefined>,
  routing: RoutingMode,
  gateway: GatewayRef,
): GatewayPods {
  const namespace = env.SITEPOD_GATEWAY_POD_NAMESPACE?.trim();
  const selector = env.SITEPOD_GATEWAY_POD_SELECTOR?.trim();
  // Deprecated: before the Gateway API, every pod of the ingress controller's namespace was admitted.
  const legacyNamespace = routing === "ingress" ? env.SITEPOD_INGRESS_NAMESPACE?.trim() : undefined;
  if (!namespace && legacyNamespace) {
    return { namespace: legacyNamespace, selector: parseLabelSelector(selector ?? "") };
  }
  return {
    namespace: namespace || gateway.namespace,
    selector: parseLabelSelector(selector || DEFAULT_GATEWAY_POD_SELECTOR),
  };
}

function parseListenerName(value: string | undefined): string | undefined {
  const name = value?.trim();
  if (!name) return undefined;
  if (!DNS_SUBDOMAIN.test(name)) {
    throw new Error(
      `SITEPOD_GATEWAY_HTTP_LISTENER "${value}" is not valid: give the name of the Gateway's plain HTTP listener (e.g. http).`,
    );
  }
  return name;
}

function parsePort(variable: string, value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new Error(`${variable} "${value}" is not valid: give a port number from 1 to 65535 (e.g. 443).`);
  }
  return port;
}

/** Throws, saying which variable to fix and how, on a value that cannot work. */
export function clusterSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ClusterSettings {
  const routing = parseRouting(env.SITEPOD_ROUTING);
  const gateway = parseGatewayRef(env.SITEPOD_GATEWAY?.trim() || DEFAULT_GATEWAY);
  const gatewayPods = gatewayPodsFromEnv(env, routing, gateway);
  if (!DNS_LABEL.test(gatewayPods.namespace)) {
    throw new Error(
      `SITEPOD_GATEWAY_POD_NAMESPACE "${gatewayPods.namespace}" is not a namespace name (a lower-case DNS label).`,
    );
  }
  return {
    storageClassName: env.SITEPOD_STORAGE_CLASS || undefined,
    routing,
    gateway,
    ingressClassName: env.SITEPOD_INGRESS_CLASS?.trim() || undefined,
    clusterIssuer: env.SITEPOD_CLUSTER_ISSUER || undefined,
    gatewayHttpListener: parseListenerName(env.SITEPOD_GATEWAY_HTTP_LISTENER),
    gatewayHttpsPort: parsePort("SITEPOD_GATEWAY_HTTPS_PORT", env.SITEPOD_GATEWAY_HTTPS_PORT),
    nginxImage: env.SITEPOD_NGINX_IMAGE?.trim() || undefined,
    gatewayPods,
  };
}
