/**
 * How visitors reach a site: an HTTPRoute attached to the operator's Gateway (Gateway API, the
 * default), or a plain Ingress for clusters without the Gateway API (SITEPOD_ROUTING=ingress).
 * Both route every hostname of the site (its domains and its platform hostname) to the site's
 * Service, or to the account's suspended page while the account is suspended.
 */
import type { V1Ingress } from "@kubernetes/client-node";
import { withSpecHash } from "./hash";
import { siteObjectNames } from "./labels";
import type { RenderedObject } from "./objects";
import { childMetadata, type SiteRootRef } from "./site-pod";
import { SUSPENDED_PAGE_NAME } from "./suspended-page";
import { type ClusterSettings, type GatewayRef, type SiteManifestSpec, siteHostnames } from "./types";

export const GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
/** What the reconciler says when it needs HTTPRoutes and the cluster does not serve them. */
export const NO_GATEWAY_API_MESSAGE =
  "The cluster has no Gateway API (HTTPRoute) CRDs: install them or set SITEPOD_ROUTING=ingress";

/** The Service port both the site's and the suspended page's Services expose. */
const SERVICE_PORT = 80;

/** Same hostnames (and TLS) while suspended, so certificates stay valid and unsuspending is instant. */
function backendService(spec: SiteManifestSpec): string {
  return spec.suspended ? SUSPENDED_PAGE_NAME : siteObjectNames(spec.name).service;
}

/** The subset of the Gateway API's HTTPRoute that Sitepod renders. */
export interface HttpRouteSpec {
  parentRefs: { group: string; kind: "Gateway"; namespace: string; name: string }[];
  hostnames: string[];
  rules: {
    matches: { path: { type: "PathPrefix"; value: string } }[];
    backendRefs: { group: ""; kind: "Service"; name: string; port: number }[];
  }[];
}

export function buildSiteHttpRoute(
  spec: SiteManifestSpec,
  settings: Pick<ClusterSettings, "gateway">,
  root: SiteRootRef,
): RenderedObject {
  const body: HttpRouteSpec = {
    parentRefs: [
      {
        group: GATEWAY_API_GROUP,
        kind: "Gateway",
        namespace: settings.gateway.namespace,
        name: settings.gateway.name,
      },
    ],
    hostnames: siteHostnames(spec),
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [{ group: "", kind: "Service", name: backendService(spec), port: SERVICE_PORT }],
      },
    ],
  };
  const route = {
    apiVersion: GATEWAY_API_VERSION,
    kind: "HTTPRoute",
    metadata: childMetadata(spec, root, siteObjectNames(spec.name).route, "web"),
    spec: body,
  } satisfies RenderedObject;
  return withSpecHash(route);
}

export function buildSiteIngress(
  spec: SiteManifestSpec,
  settings: Pick<ClusterSettings, "ingressClassName" | "clusterIssuer">,
  root: SiteRootRef,
): RenderedObject {
  const names = siteObjectNames(spec.name);
  const metadata = childMetadata(spec, root, names.ingress, "web");
  const hosts = siteHostnames(spec);
  if (settings.clusterIssuer) metadata.annotations["cert-manager.io/cluster-issuer"] = settings.clusterIssuer;
  const ingress = {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata,
    spec: {
      // Unset: the cluster's default IngressClass takes it.
      ...(settings.ingressClassName ? { ingressClassName: settings.ingressClassName } : {}),
      rules: hosts.map((host) => ({
        host,
        http: {
          paths: [
            {
              path: "/",
              pathType: "Prefix",
              backend: { service: { name: backendService(spec), port: { name: "http" } } },
            },
          ],
        },
      })),
      ...(settings.clusterIssuer ? { tls: [{ hosts, secretName: `${spec.name}-tls` }] } : {}),
    },
  } satisfies V1Ingress & RenderedObject;
  return withSpecHash(ingress);
}

/** The site's route in the configured mode. Every site has one: the platform hostname is always there. */
export function buildSiteRoute(
  spec: SiteManifestSpec,
  settings: ClusterSettings,
  root: SiteRootRef,
): RenderedObject {
  return settings.routing === "ingress"
    ? buildSiteIngress(spec, settings, root)
    : buildSiteHttpRoute(spec, settings, root);
}

interface RouteParentStatus {
  parentRef?: { name?: string; namespace?: string };
  controllerName?: string;
  conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
}

/**
 * Why the Gateway does not serve the route, from the status its controller wrote (for example a
 * listener that admits no routes from tenant namespaces), or undefined: accepted, or not looked at
 * yet (no controller has written a status), which is not an error of the route.
 */
export function routeRejection(route: unknown, gateway: GatewayRef): string | undefined {
  const parents =
    (route as { status?: { parents?: RouteParentStatus[] } } | undefined)?.status?.parents ?? [];
  const ours = parents.filter(
    (p) =>
      p.parentRef?.name === gateway.name &&
      (p.parentRef.namespace === undefined || p.parentRef.namespace === gateway.namespace),
  );
  // Only Accepted: ResolvedRefs goes False for a moment whenever the backend Service is new (a
  // suspension's page), which is not worth a Degraded site.
  for (const parent of ours) {
    const accepted = parent.conditions?.find((c) => c.type === "Accepted");
    if (accepted?.status === "False") {
      const detail = accepted.message ? `: ${accepted.message}` : "";
      return `The Gateway ${gateway.namespace}/${gateway.name} does not accept the site's HTTPRoute (${accepted.reason ?? "no reason given"})${detail}`;
    }
  }
  return undefined;
}
