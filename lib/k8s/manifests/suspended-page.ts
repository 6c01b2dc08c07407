import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1NetworkPolicy,
  V1Service,
} from "@kubernetes/client-node";
import type { AccountManifestSpec } from "./account";
import { contentHash, withSpecHash } from "./hash";
import { accountLabels, accountNamespace, COMPONENT_LABEL, NAME_LABEL, SITE_SERVICE_ACCOUNT } from "./labels";
import { gatewayPeer } from "./network-policy";
import type { RenderedObject } from "./objects";
import type { GatewayPods } from "./types";

/** Name of every object of the page; the Service is what suspended sites' routes point at. */
export const SUSPENDED_PAGE_NAME = "sitepod-suspended";
export const SUSPENDED_PAGE_COMPONENT = "suspended-page";
const PORT = 8080;
const HTML_DIR = "/usr/share/nginx/suspended";

/**
 * What serves the page:
 * - `runtime`: a Sitepod runtime image (images/runtime): nginx runs as www-data (33) from the image's
 *   base config, which includes /etc/sitepod/nginx/*.conf; the page's server block goes there.
 * - `nginx`: an nginx-unprivileged-style image (SITEPOD_NGINX_IMAGE): uid 101, server blocks in
 *   /etc/nginx/conf.d, started by the image's own command.
 */
export type SuspendedPageImage = { kind: "runtime"; image: string } | { kind: "nginx"; image: string };

export interface SuspendedPageSettings {
  image: SuspendedPageImage;
  gatewayPods: GatewayPods;
}

/**
 * SITEPOD_NGINX_IMAGE when the operator set one, else the newest runtime image of the catalog;
 * undefined when there is neither (the page cannot run).
 */
export function suspendedPageImage(
  nginxImage: string | undefined,
  newestRuntimeImage: string | undefined,
): SuspendedPageImage | undefined {
  if (nginxImage) return { kind: "nginx", image: nginxImage };
  if (newestRuntimeImage) return { kind: "runtime", image: newestRuntimeImage };
  return undefined;
}

const IMAGE_LAYOUT = {
  runtime: {
    uid: 33,
    confPath: "/etc/sitepod/nginx/site.conf",
    // The base config keeps nginx in the foreground; -e sends the errors logged before it is read
    // to stderr instead of a log file the read-only root filesystem would refuse.
    command: ["nginx", "-e", "stderr"],
  },
  nginx: { uid: 101, confPath: "/etc/nginx/conf.d/default.conf", command: undefined },
} as const;

function labels(spec: AccountManifestSpec): Record<string, string> {
  return {
    ...accountLabels(spec.accountId),
    ...selectorLabels(),
    [COMPONENT_LABEL]: SUSPENDED_PAGE_COMPONENT,
  };
}

function selectorLabels(): Record<string, string> {
  return { [NAME_LABEL]: SUSPENDED_PAGE_NAME };
}

function metadata(spec: AccountManifestSpec) {
  return {
    name: SUSPENDED_PAGE_NAME,
    namespace: accountNamespace(spec.accountSlug),
    labels: labels(spec),
    annotations: {} as Record<string, string>,
  };
}

/**
 * The page says nothing about the reason: it is shown to the site's visitors, while the reason
 * is for the account's members. 503 tells crawlers to come back rather than drop the pages.
 */
export const SUSPENDED_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Site temporarily unavailable</title>
<style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;color:#333}</style>
</head>
<body><main><h1>This site is temporarily unavailable</h1><p>Please try again later.</p></main></body>
</html>
`;

export const SUSPENDED_NGINX_CONF = `server {
    listen ${PORT};
    server_tokens off;
    root ${HTML_DIR};
    error_page 503 /index.html;
    location = /healthz { access_log off; default_type text/plain; return 200 "ok\\n"; }
    location = /index.html { internal; add_header Retry-After 3600 always; add_header Cache-Control "no-store" always; }
    location / { return 503; }
}
`;

export function buildSuspendedConfigMap(spec: AccountManifestSpec): RenderedObject {
  const cm = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadata(spec),
    data: { "default.conf": SUSPENDED_NGINX_CONF, "index.html": SUSPENDED_HTML },
  } satisfies V1ConfigMap & RenderedObject;
  return withSpecHash(cm);
}

export function buildSuspendedDeployment(
  spec: AccountManifestSpec,
  settings: SuspendedPageSettings,
): RenderedObject {
  const layout = IMAGE_LAYOUT[settings.image.kind];
  const container: V1Container = {
    name: "nginx",
    image: settings.image.image,
    ...(layout.command ? { command: [...layout.command] } : {}),
    ports: [{ name: "http", containerPort: PORT, protocol: "TCP" }],
    volumeMounts: [
      { name: "page", mountPath: layout.confPath, subPath: "default.conf", readOnly: true },
      { name: "page", mountPath: `${HTML_DIR}/index.html`, subPath: "index.html", readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
    ],
    // Small enough to fit any plan that can run a site: it only runs while the sites do not.
    resources: {
      requests: { cpu: "10m", memory: "16Mi" },
      limits: { cpu: "100m", memory: "32Mi" },
    },
    readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
      readOnlyRootFilesystem: true,
    },
  };
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(spec),
    spec: {
      replicas: 1,
      revisionHistoryLimit: 1,
      selector: { matchLabels: selectorLabels() },
      template: {
        metadata: {
          labels: labels(spec),
          annotations: { "sitepod.io/config-checksum": contentHash([SUSPENDED_NGINX_CONF, SUSPENDED_HTML]) },
        },
        spec: {
          serviceAccountName: SITE_SERVICE_ACCOUNT,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: layout.uid,
            runAsGroup: layout.uid,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [container],
          volumes: [
            { name: "page", configMap: { name: SUSPENDED_PAGE_NAME } },
            { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
          ],
        },
      },
    },
  } satisfies V1Deployment & RenderedObject;
  return withSpecHash(deployment);
}

export function buildSuspendedService(spec: AccountManifestSpec): RenderedObject {
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(spec),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(),
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    },
  } satisfies V1Service & RenderedObject;
  return withSpecHash(service);
}

/** The tenant's default-deny lets the gateway's pods reach site pods only; this page too. */
export function buildSuspendedNetworkPolicy(
  spec: AccountManifestSpec,
  settings: SuspendedPageSettings,
): RenderedObject {
  const np = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata(spec),
    spec: {
      podSelector: { matchLabels: selectorLabels() },
      policyTypes: ["Ingress"],
      ingress: [{ _from: [gatewayPeer(settings.gatewayPods)] }],
    },
  } satisfies V1NetworkPolicy & RenderedObject;
  return withSpecHash(np);
}

/** What a suspended account's namespace serves in place of its sites, in apply order. */
export function buildSuspendedPageObjects(
  spec: AccountManifestSpec,
  settings: SuspendedPageSettings,
): RenderedObject[] {
  return [
    buildSuspendedConfigMap(spec),
    buildSuspendedDeployment(spec, settings),
    buildSuspendedService(spec),
    buildSuspendedNetworkPolicy(spec, settings),
  ];
}
