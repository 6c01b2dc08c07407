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

export const DEFAULT_GATEWAY_HTTP_LISTENER = "http";
export const DEFAULT_GATEWAY_HTTPS_PORT = 443;

/** The Gateway API's RequestRedirect filter, as Sitepod renders it. */
export interface RequestRedirect {
  scheme?: "https";
  hostname?: string;
  port?: number;
  statusCode: 301;
}

interface ParentRef {
  group: string;
  kind: "Gateway";
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
}

/** The subset of the Gateway API's HTTPRoute that Sitepod renders. */
export interface HttpRouteSpec {
  parentRefs: ParentRef[];
  hostnames: string[];
  rules: {
    matches: { path: { type: "PathPrefix"; value: string } }[];
    backendRefs?: { group: ""; kind: "Service"; name: string; port: number }[];
    filters?: { type: "RequestRedirect"; requestRedirect: RequestRedirect }[];
  }[];
}

/**
 * The HTTPRoutes' names besides the site's own (`<site>`): a dot cannot appear in a site's name,
 * so no other site's route can have them.
 */
export const routeNames = (name: string) => ({
  main: siteObjectNames(name).route,
  /** The forced domains on the HTTPS listeners. */
  secure: `${name}.https`,
  /** The forced domains on the plain HTTP listener: 301 to https://. */
  toHttps: `${name}.to-https`,
  /** The redirecting domains: 301 to the primary. */
  redirect: `${name}.redirect`,
});

/** How the site's hostnames are routed in gateway mode: pure, so the builders and tests share it. */
export interface RoutePlan {
  primary: string | undefined;
  /** Served by the site on every listener (and the platform hostname, always). */
  served: string[];
  /** Served on the HTTPS listeners only; plain HTTP gets a 301 to https://. */
  forced: string[];
  /** Answer with a 301 to the primary. */
  redirecting: string[];
  /** The redirect to the primary goes to https:// (the primary has a certificate and HTTPS is forced). */
  redirectToHttps: boolean;
}

export function planRoutes(
  spec: SiteManifestSpec,
  settings: Pick<ClusterSettings, "clusterIssuer">,
): RoutePlan {
  const primary = spec.domains[0];
  const redirectSet = new Set((spec.redirectDomains ?? []).filter((d) => d !== primary));
  const httpsSet = new Set(settings.clusterIssuer ? (spec.httpsDomains ?? []) : []);
  const own = spec.domains.filter((d) => !redirectSet.has(d));
  const forced = spec.forceHttps ? own.filter((d) => httpsSet.has(d)) : [];
  return {
    primary,
    served: own.filter((d) => !forced.includes(d)),
    forced,
    redirecting: spec.domains.filter((d) => redirectSet.has(d)),
    redirectToHttps: Boolean(spec.forceHttps && primary && httpsSet.has(primary)),
  };
}

function gatewayParent(settings: Pick<ClusterSettings, "gateway">): ParentRef {
  return {
    group: GATEWAY_API_GROUP,
    kind: "Gateway",
    namespace: settings.gateway.namespace,
    name: settings.gateway.name,
  };
}

const ALL_PATHS = [{ path: { type: "PathPrefix" as const, value: "/" } }];

function httpRoute(
  spec: SiteManifestSpec,
  root: SiteRootRef,
  name: string,
  body: HttpRouteSpec,
): RenderedObject {
  const route = {
    apiVersion: GATEWAY_API_VERSION,
    kind: "HTTPRoute",
    metadata: childMetadata(spec, root, name, "web"),
    spec: body,
  } satisfies RenderedObject;
  return withSpecHash(route);
}

/** The site's own HTTPRoute: the platform hostname and every served domain, to the site's Service. */
export function buildSiteHttpRoute(
  spec: SiteManifestSpec,
  settings: Pick<ClusterSettings, "gateway" | "clusterIssuer">,
  root: SiteRootRef,
): RenderedObject {
  const plan = planRoutes(spec, settings);
  return httpRoute(spec, root, routeNames(spec.name).main, {
    parentRefs: [gatewayParent(settings)],
    hostnames: [...new Set([...plan.served, spec.platformHostname])],
    rules: [
      {
        matches: ALL_PATHS,
        backendRefs: [{ group: "", kind: "Service", name: backendService(spec), port: SERVICE_PORT }],
      },
    ],
  });
}

/**
 * Every HTTPRoute of the site in gateway mode: its own, then (when asked for) the forced domains
 * on the HTTPS listeners with a 301 to https:// on the plain HTTP listener, and the redirecting
 * domains with a 301 to the primary (RequestRedirect keeps the path and query).
 */
export function buildSiteHttpRoutes(
  spec: SiteManifestSpec,
  settings: Pick<ClusterSettings, "gateway" | "clusterIssuer" | "gatewayHttpListener" | "gatewayHttpsPort">,
  root: SiteRootRef,
): RenderedObject[] {
  const plan = planRoutes(spec, settings);
  const names = routeNames(spec.name);
  const routes = [buildSiteHttpRoute(spec, settings, root)];
  if (plan.forced.length > 0) {
    routes.push(
      httpRoute(spec, root, names.secure, {
        // Attached by port: the HTTPS listeners are the operator's, one per hostname, named as they like.
        parentRefs: [
          { ...gatewayParent(settings), port: settings.gatewayHttpsPort ?? DEFAULT_GATEWAY_HTTPS_PORT },
        ],
        hostnames: plan.forced,
        rules: [
          {
            matches: ALL_PATHS,
            backendRefs: [{ group: "", kind: "Service", name: backendService(spec), port: SERVICE_PORT }],
          },
        ],
      }),
      httpRoute(spec, root, names.toHttps, {
        parentRefs: [
          {
            ...gatewayParent(settings),
            sectionName: settings.gatewayHttpListener ?? DEFAULT_GATEWAY_HTTP_LISTENER,
          },
        ],
        hostnames: plan.forced,
        rules: [
          {
            matches: ALL_PATHS,
            filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
          },
        ],
      }),
    );
  }
  if (plan.redirecting.length > 0 && plan.primary) {
    // No scheme: the port stays the listener's unless the public one differs (a local cluster).
    const redirect: RequestRedirect = plan.redirectToHttps
      ? { scheme: "https", hostname: plan.primary, statusCode: 301 }
      : {
          hostname: plan.primary,
          ...(spec.sitePublicPort ? { port: spec.sitePublicPort } : {}),
          statusCode: 301,
        };
    routes.push(
      httpRoute(spec, root, names.redirect, {
        parentRefs: [gatewayParent(settings)],
        hostnames: plan.redirecting,
        rules: [{ matches: ALL_PATHS, filters: [{ type: "RequestRedirect", requestRedirect: redirect }] }],
      }),
    );
  }
  return routes;
}

/**
 * What the site's domains ask for that the routing mode cannot do, one sentence each (empty: all
 * of it is rendered). Ingresses have no portable redirect (the nginx-class annotations are
 * retired), so redirecting domains serve the site as aliases and HTTPS cannot be forced; in gateway
 * mode, HTTPS is forced only on domains whose certificate is issued.
 */
export function routingLimitations(spec: SiteManifestSpec, settings: ClusterSettings): string[] {
  const limits: string[] = [];
  const redirecting = (spec.redirectDomains ?? []).filter((d) => d !== spec.domains[0]);
  if (settings.routing === "ingress") {
    if (redirecting.length > 0) {
      limits.push(
        `Ingress routing cannot redirect: ${redirecting.join(", ")} serve${redirecting.length === 1 ? "s" : ""} the site as ${redirecting.length === 1 ? "an alias" : "aliases"} instead of redirecting to ${spec.domains[0]}. The platform operator can switch to Gateway API routing (SITEPOD_ROUTING=gateway) for redirects.`,
      );
    }
    if (spec.forceHttps) {
      limits.push(
        "Ingress routing cannot force HTTPS: visitors on http:// are served over plain HTTP. The platform operator can switch to Gateway API routing (SITEPOD_ROUTING=gateway).",
      );
    }
    return limits;
  }
  if (spec.forceHttps) {
    if (!settings.clusterIssuer) {
      limits.push("HTTPS cannot be forced: TLS is not set up on this platform (no ClusterIssuer).");
    } else {
      const plan = planRoutes(spec, settings);
      const waiting = spec.domains.filter((d) => !redirecting.includes(d) && !plan.forced.includes(d));
      if (waiting.length > 0) {
        limits.push(
          `HTTPS is forced once a certificate is issued; until then ${waiting.join(", ")} ${waiting.length === 1 ? "is" : "are"} also served over plain HTTP.`,
        );
      }
    }
  }
  return limits;
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

/**
 * The site's routes in the configured mode. Every site has at least one: the platform hostname is
 * always there.
 */
export function buildSiteRoutes(
  spec: SiteManifestSpec,
  settings: ClusterSettings,
  root: SiteRootRef,
): RenderedObject[] {
  return settings.routing === "ingress"
    ? [buildSiteIngress(spec, settings, root)]
    : buildSiteHttpRoutes(spec, settings, root);
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
export function routeRejection(
  route: unknown,
  gateway: GatewayRef,
  what = "the site's HTTPRoute",
): string | undefined {
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
      return `The Gateway ${gateway.namespace}/${gateway.name} does not accept ${what} (${accepted.reason ?? "no reason given"})${detail}`;
    }
  }
  return undefined;
}
