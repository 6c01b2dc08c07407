import { describe, expect, it } from "vitest";
import { renderNginxVhost } from "./config-files";
import { SITE_LABEL, SPEC_HASH_ANNOTATION } from "./labels";
import type { RenderedObject } from "./objects";
import {
  buildSiteHttpRoute,
  buildSiteIngress,
  buildSiteRoute,
  type HttpRouteSpec,
  routeRejection,
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

  it("is what buildSiteRoute renders unless the settings ask for Ingresses", () => {
    expect(buildSiteRoute(spec, exampleSettings, root).kind).toBe("HTTPRoute");
    expect(buildSiteRoute(spec, exampleIngressSettings, root).kind).toBe("Ingress");
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
