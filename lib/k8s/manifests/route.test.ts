import { describe, expect, it } from "vitest";
import { renderNginxVhost } from "./config-files";
import { SITE_LABEL, SPEC_HASH_ANNOTATION } from "./labels";
import type { RenderedObject } from "./objects";
import {
  buildSiteHttpRoute,
  buildSiteIngress,
  buildSiteHttpRoutes,
  buildSiteRoutes,
  type HttpRouteSpec,
  planRoutes,
  routeRejection,
  routingLimitations,
} from "./route";
import { exampleIngressSettings, exampleSettings, exampleSiteSpec } from "./test-fixtures";

const root = { uid: "0b1c6f0e-0000-4000-8000-000000000001" };
const spec = exampleSiteSpec();

type IngressShape = RenderedObject & {
  spec: {
    ingressClassName?: string;
    rules: {
      host: string;
      http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] };
    }[];
    tls?: { hosts: string[]; secretName: string }[];
  };
};

describe("HTTPRoute (gateway mode, the default)", () => {
  const route = buildSiteHttpRoute(spec, exampleSettings, root) as RenderedObject & { spec: HttpRouteSpec };

  it("is a child of the site in its namespace, named after the site", () => {
    expect(route).toMatchObject({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "blog", namespace: "sp-acme" },
    });
    expect(route.metadata.labels[SITE_LABEL]).toBe("site123");
    expect(route.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "ConfigMap",
      name: "blog-root",
      uid: root.uid,
    });
    expect(route.metadata.annotations[SPEC_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{20}$/);
  });

  it("attaches to the operator's Gateway, in the Gateway's namespace", () => {
    expect(route.spec.parentRefs).toEqual([
      { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "sitepod-gateway", name: "sitepod" },
    ]);
    const other = buildSiteHttpRoute(
      spec,
      { gateway: { namespace: "edge", name: "public" } },
      root,
    ) as RenderedObject & {
      spec: HttpRouteSpec;
    };
    expect(other.spec.parentRefs[0]).toMatchObject({ namespace: "edge", name: "public" });
  });

  it("answers for every domain and the platform hostname, all paths to the site's Service", () => {
    expect(route.spec.hostnames).toEqual([
      "blog.example.com",
      "www.blog.example.com",
      "blog-acme.sites.example.net",
    ]);
    expect(route.spec.rules).toEqual([
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [{ group: "", kind: "Service", name: "blog", port: 80 }],
      },
    ]);
  });

  it("still routes a site without domains, at its platform hostname", () => {
    const bare = buildSiteHttpRoute(
      exampleSiteSpec({ domains: [] }),
      exampleSettings,
      root,
    ) as RenderedObject & {
      spec: HttpRouteSpec;
    };
    expect(bare.spec.hostnames).toEqual(["blog-acme.sites.example.net"]);
  });

  it("is what buildSiteRoutes renders unless the settings ask for Ingresses", () => {
    expect(buildSiteRoutes(spec, exampleSettings, root).map((r) => r.kind)).toEqual(["HTTPRoute"]);
    expect(buildSiteRoutes(spec, exampleIngressSettings, root).map((r) => r.kind)).toEqual(["Ingress"]);
  });
});

type RouteShape = RenderedObject & { spec: HttpRouteSpec };
const routesOf = (...args: Parameters<typeof buildSiteHttpRoutes>) =>
  buildSiteHttpRoutes(...args) as RouteShape[];
const byName = (routes: RouteShape[], name: string) => routes.find((r) => r.metadata.name === name);
const withIssuer = { ...exampleSettings, clusterIssuer: "letsencrypt" };
const gatewayParent = {
  group: "gateway.networking.k8s.io",
  kind: "Gateway",
  namespace: "sitepod-gateway",
  name: "sitepod",
};

describe("redirects and force HTTPS (gateway mode)", () => {
  const threeDomains = exampleSiteSpec({
    domains: ["blog.example.com", "alias.example.com", "www.blog.example.com"],
    redirectDomains: ["www.blog.example.com"],
  });

  it("answers redirecting domains from their own HTTPRoute with a 301 to the primary, keeping the port off", () => {
    const routes = routesOf(threeDomains, exampleSettings, root);
    expect(routes.map((r) => r.metadata.name)).toEqual(["blog", "blog.redirect"]);
    expect(byName(routes, "blog")?.spec.hostnames).toEqual([
      "blog.example.com",
      "alias.example.com",
      "blog-acme.sites.example.net",
    ]);
    const redirect = byName(routes, "blog.redirect");
    expect(redirect?.spec).toEqual({
      parentRefs: [gatewayParent],
      hostnames: ["www.blog.example.com"],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          filters: [
            { type: "RequestRedirect", requestRedirect: { hostname: "blog.example.com", statusCode: 301 } },
          ],
        },
      ],
    });
    expect(redirect?.metadata.labels[SITE_LABEL]).toBe("site123");
    expect(redirect?.metadata.ownerReferences?.[0]?.uid).toBe(root.uid);
  });

  it("redirects to the public port when the gateway's is not the scheme's default (a local cluster)", () => {
    const routes = routesOf({ ...threeDomains, sitePublicPort: 8080 }, exampleSettings, root);
    expect(byName(routes, "blog.redirect")?.spec.rules[0]?.filters?.[0]?.requestRedirect).toEqual({
      hostname: "blog.example.com",
      port: 8080,
      statusCode: 301,
    });
  });

  it("never redirects the primary, even if asked", () => {
    const routes = routesOf(
      { ...threeDomains, redirectDomains: ["blog.example.com"] },
      exampleSettings,
      root,
    );
    expect(routes.map((r) => r.metadata.name)).toEqual(["blog"]);
  });

  it("forces HTTPS on domains with an issued certificate: served on port 443, 301 to https:// on the http listener", () => {
    const forced = {
      ...threeDomains,
      forceHttps: true,
      httpsDomains: ["blog.example.com", "www.blog.example.com"],
    };
    const routes = routesOf(forced, withIssuer, root);
    expect(routes.map((r) => r.metadata.name)).toEqual([
      "blog",
      "blog.https",
      "blog.to-https",
      "blog.redirect",
    ]);
    // alias.example.com has no certificate yet: still served over HTTP with the platform hostname.
    expect(byName(routes, "blog")?.spec.hostnames).toEqual([
      "alias.example.com",
      "blog-acme.sites.example.net",
    ]);
    expect(byName(routes, "blog.https")?.spec).toMatchObject({
      parentRefs: [{ ...gatewayParent, port: 443 }],
      hostnames: ["blog.example.com"],
      rules: [{ backendRefs: [{ group: "", kind: "Service", name: "blog", port: 80 }] }],
    });
    expect(byName(routes, "blog.to-https")?.spec).toEqual({
      parentRefs: [{ ...gatewayParent, sectionName: "http" }],
      hostnames: ["blog.example.com"],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
        },
      ],
    });
    expect(byName(routes, "blog.redirect")?.spec.rules[0]?.filters?.[0]?.requestRedirect).toEqual({
      scheme: "https",
      hostname: "blog.example.com",
      statusCode: 301,
    });
  });

  it("takes the listener and port from the settings", () => {
    const routes = routesOf(
      { ...threeDomains, forceHttps: true, httpsDomains: ["blog.example.com"] },
      { ...withIssuer, gatewayHttpListener: "web", gatewayHttpsPort: 8443 },
      root,
    );
    expect(byName(routes, "blog.https")?.spec.parentRefs[0]?.port).toBe(8443);
    expect(byName(routes, "blog.to-https")?.spec.parentRefs[0]?.sectionName).toBe("web");
  });

  it("forces nothing without a ClusterIssuer, whatever the stored statuses say", () => {
    const spec3 = { ...threeDomains, forceHttps: true, httpsDomains: ["blog.example.com"] };
    expect(planRoutes(spec3, exampleSettings)).toEqual({
      primary: "blog.example.com",
      served: ["blog.example.com", "alias.example.com"],
      forced: [],
      redirecting: ["www.blog.example.com"],
      redirectToHttps: false,
    });
    expect(routesOf(spec3, exampleSettings, root).map((r) => r.metadata.name)).toEqual([
      "blog",
      "blog.redirect",
    ]);
  });

  it("gives its routes names no other site's route can have (site names hold no dots)", () => {
    const routes = routesOf(
      { ...threeDomains, forceHttps: true, httpsDomains: threeDomains.domains },
      withIssuer,
      root,
    );
    for (const r of routes.slice(1)) expect(r.metadata.name).toMatch(/^blog\./);
  });
});

describe("routingLimitations", () => {
  const redirecting = exampleSiteSpec({
    domains: ["blog.example.com", "www.blog.example.com"],
    redirectDomains: ["www.blog.example.com"],
    forceHttps: true,
    httpsDomains: ["blog.example.com"],
  });

  it("says what Ingresses cannot do instead of ignoring it", () => {
    const limits = routingLimitations(redirecting, { ...exampleIngressSettings, clusterIssuer: "le" });
    expect(limits).toEqual([
      "Ingress routing cannot redirect: www.blog.example.com serves the site as an alias instead of redirecting to blog.example.com. The platform operator can switch to Gateway API routing (SITEPOD_ROUTING=gateway) for redirects.",
      "Ingress routing cannot force HTTPS: visitors on http:// are served over plain HTTP. The platform operator can switch to Gateway API routing (SITEPOD_ROUTING=gateway).",
    ]);
    // The Ingress serves the redirecting domain like any other.
    const ingress = buildSiteIngress(redirecting, exampleIngressSettings, root) as IngressShape;
    expect(ingress.spec.rules.map((r) => r.host)).toContain("www.blog.example.com");
  });

  it("says when HTTPS cannot be forced yet in gateway mode", () => {
    expect(routingLimitations(redirecting, exampleSettings)).toEqual([
      "HTTPS cannot be forced: TLS is not set up on this platform (no ClusterIssuer).",
    ]);
    expect(routingLimitations({ ...redirecting, httpsDomains: [] }, withIssuer)).toEqual([
      "HTTPS is forced once a certificate is issued; until then blog.example.com is also served over plain HTTP.",
    ]);
    expect(routingLimitations(redirecting, withIssuer)).toEqual([]);
    expect(routingLimitations(exampleSiteSpec(), exampleIngressSettings)).toEqual([]);
  });
});

describe("Ingress (SITEPOD_ROUTING=ingress)", () => {
  it("has a rule per hostname, the platform hostname included, with TLS only when a cluster issuer is set", () => {
    const plain = buildSiteIngress(spec, exampleIngressSettings, root) as IngressShape;
    expect(plain.spec.ingressClassName).toBe("traefik");
    expect(plain.spec.rules.map((r) => r.host)).toEqual([
      "blog.example.com",
      "www.blog.example.com",
      "blog-acme.sites.example.net",
    ]);
    expect(plain.spec.rules[0]?.http.paths[0]?.backend.service).toEqual({
      name: "blog",
      port: { name: "http" },
    });
    expect(plain.spec.tls).toBeUndefined();
    expect(plain.metadata.annotations["cert-manager.io/cluster-issuer"]).toBeUndefined();

    const tls = buildSiteIngress(
      spec,
      { ...exampleIngressSettings, clusterIssuer: "letsencrypt" },
      root,
    ) as IngressShape;
    expect(tls.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
    expect(tls.spec.tls).toEqual([
      {
        hosts: ["blog.example.com", "www.blog.example.com", "blog-acme.sites.example.net"],
        secretName: "blog-tls",
      },
    ]);
  });

  it("leaves the class to the cluster's default IngressClass when none is configured", () => {
    const ingress = buildSiteIngress(
      spec,
      { ...exampleIngressSettings, ingressClassName: undefined },
      root,
    ) as IngressShape;
    expect(ingress.spec).not.toHaveProperty("ingressClassName");
  });
});

describe("the nginx vhost", () => {
  it("answers for the domains and the platform hostname", () => {
    expect(renderNginxVhost(spec)).toContain(
      "server_name blog.example.com www.blog.example.com blog-acme.sites.example.net;",
    );
    expect(renderNginxVhost(exampleSiteSpec({ domains: [] }))).toContain(
      "server_name blog-acme.sites.example.net;",
    );
  });
});

describe("routeRejection", () => {
  const gateway = exampleSettings.gateway;
  const withStatus = (
    conditions: unknown[],
    parentRef: unknown = { name: "sitepod", namespace: "sitepod-gateway" },
  ) => ({
    status: { parents: [{ parentRef, controllerName: "traefik.io/gateway-controller", conditions }] },
  });

  it("names the route it is about when asked (the redirect and HTTPS routes)", () => {
    const refused = withStatus([
      {
        type: "Accepted",
        status: "False",
        reason: "UnsupportedValue",
        message: "parentRef port is not supported",
      },
    ]);
    expect(routeRejection(refused, gateway, "the site's HTTPRoute blog.https")).toBe(
      "The Gateway sitepod-gateway/sitepod does not accept the site's HTTPRoute blog.https (UnsupportedValue): parentRef port is not supported",
    );
  });

  it("is nothing while no controller has written a status, or once the Gateway accepted the route", () => {
    expect(routeRejection(undefined, gateway)).toBeUndefined();
    expect(routeRejection({}, gateway)).toBeUndefined();
    expect(
      routeRejection(withStatus([{ type: "Accepted", status: "True", reason: "Accepted" }]), gateway),
    ).toBeUndefined();
  });

  it("says why the operator's Gateway refused the route", () => {
    const refused = withStatus([
      {
        type: "Accepted",
        status: "False",
        reason: "NotAllowedByListeners",
        message: "no listener admits namespace sp-acme",
      },
    ]);
    expect(routeRejection(refused, gateway)).toBe(
      "The Gateway sitepod-gateway/sitepod does not accept the site's HTTPRoute (NotAllowedByListeners): no listener admits namespace sp-acme",
    );
  });

  it("ignores what another Gateway says about the route", () => {
    const other = withStatus([{ type: "Accepted", status: "False", reason: "NoMatchingParent" }], {
      name: "other",
      namespace: "sitepod-gateway",
    });
    expect(routeRejection(other, gateway)).toBeUndefined();
  });
});
