import { describe, expect, it } from "vitest";
import { clusterSettingsFromEnv, parseGatewayRef, parseLabelSelector } from "./types";

describe("clusterSettingsFromEnv", () => {
  it("routes through the Gateway API by default, to sitepod-gateway/sitepod, admitting Traefik's pods", () => {
    expect(clusterSettingsFromEnv({})).toEqual({
      storageClassName: undefined,
      routing: "gateway",
      gateway: { namespace: "sitepod-gateway", name: "sitepod" },
      ingressClassName: undefined,
      clusterIssuer: undefined,
      nginxImage: undefined,
      gatewayPods: { namespace: "sitepod-gateway", selector: { "app.kubernetes.io/name": "traefik" } },
    });
  });

  it("takes the operator's Gateway, its pods' namespace and labels, and the other settings", () => {
    expect(
      clusterSettingsFromEnv({
        SITEPOD_STORAGE_CLASS: "fast",
        SITEPOD_GATEWAY: "edge/public",
        SITEPOD_GATEWAY_POD_NAMESPACE: "traefik-system",
        SITEPOD_GATEWAY_POD_SELECTOR: "app.kubernetes.io/name=traefik, app.kubernetes.io/instance=edge",
        SITEPOD_CLUSTER_ISSUER: "le",
        SITEPOD_NGINX_IMAGE: "nginxinc/nginx-unprivileged:1.29-alpine",
      }),
    ).toMatchObject({
      storageClassName: "fast",
      gateway: { namespace: "edge", name: "public" },
      gatewayPods: {
        namespace: "traefik-system",
        selector: { "app.kubernetes.io/name": "traefik", "app.kubernetes.io/instance": "edge" },
      },
      clusterIssuer: "le",
      nginxImage: "nginxinc/nginx-unprivileged:1.29-alpine",
    });
  });

  it("defaults the gateway pods' namespace to the Gateway's, and takes empty values as unset", () => {
    expect(clusterSettingsFromEnv({ SITEPOD_GATEWAY: "edge/public" }).gatewayPods.namespace).toBe("edge");
    // deploy/config.yaml sets every variable, empty for the default.
    expect(
      clusterSettingsFromEnv({
        SITEPOD_ROUTING: "",
        SITEPOD_GATEWAY: "",
        SITEPOD_GATEWAY_POD_NAMESPACE: "",
        SITEPOD_GATEWAY_POD_SELECTOR: "",
        SITEPOD_INGRESS_CLASS: "",
        SITEPOD_NGINX_IMAGE: "",
        SITEPOD_GATEWAY_HTTP_LISTENER: "",
        SITEPOD_GATEWAY_HTTPS_PORT: "",
      }),
    ).toEqual(clusterSettingsFromEnv({}));
  });

  it("reads the listener and port force HTTPS attaches to, and says how to fix bad ones", () => {
    expect(
      clusterSettingsFromEnv({ SITEPOD_GATEWAY_HTTP_LISTENER: "web", SITEPOD_GATEWAY_HTTPS_PORT: "8443" }),
    ).toMatchObject({ gatewayHttpListener: "web", gatewayHttpsPort: 8443 });
    expect(() => clusterSettingsFromEnv({ SITEPOD_GATEWAY_HTTPS_PORT: "https" })).toThrow(
      'SITEPOD_GATEWAY_HTTPS_PORT "https" is not valid: give a port number from 1 to 65535 (e.g. 443).',
    );
    expect(() => clusterSettingsFromEnv({ SITEPOD_GATEWAY_HTTP_LISTENER: "Web Listener" })).toThrow(
      /SITEPOD_GATEWAY_HTTP_LISTENER "Web Listener" is not valid/,
    );
  });

  it("keeps SITEPOD_INGRESS_NAMESPACE working in ingress mode, admitting that whole namespace as before", () => {
    const legacy = clusterSettingsFromEnv({
      SITEPOD_ROUTING: "ingress",
      SITEPOD_INGRESS_CLASS: "nginx",
      SITEPOD_INGRESS_NAMESPACE: "ingress-nginx",
    });
    expect(legacy).toMatchObject({
      routing: "ingress",
      ingressClassName: "nginx",
      gatewayPods: { namespace: "ingress-nginx", selector: {} },
    });
    // The new variables win over the deprecated one; in gateway mode it means nothing.
    expect(
      clusterSettingsFromEnv({
        SITEPOD_ROUTING: "ingress",
        SITEPOD_INGRESS_NAMESPACE: "ingress-nginx",
        SITEPOD_GATEWAY_POD_NAMESPACE: "traefik",
      }).gatewayPods,
    ).toEqual({ namespace: "traefik", selector: { "app.kubernetes.io/name": "traefik" } });
    expect(clusterSettingsFromEnv({ SITEPOD_INGRESS_NAMESPACE: "ingress-nginx" }).gatewayPods.namespace).toBe(
      "sitepod-gateway",
    );
  });

  it.each([
    [{ SITEPOD_ROUTING: "nginx" }, /SITEPOD_ROUTING "nginx" is not valid: use gateway .* or ingress/],
    [
      { SITEPOD_GATEWAY: "sitepod" },
      /SITEPOD_GATEWAY "sitepod" is not valid: give the Gateway as namespace\/name/,
    ],
    [{ SITEPOD_GATEWAY: "a/b/c" }, /SITEPOD_GATEWAY "a\/b\/c" is not valid/],
    [{ SITEPOD_GATEWAY: "Gateways/x" }, /SITEPOD_GATEWAY "Gateways\/x" is not valid/],
    [
      { SITEPOD_GATEWAY_POD_SELECTOR: "app" },
      /SITEPOD_GATEWAY_POD_SELECTOR "app" is not valid: give labels as key=value/,
    ],
    [{ SITEPOD_GATEWAY_POD_SELECTOR: "app!=x" }, /SITEPOD_GATEWAY_POD_SELECTOR "app!=x" is not valid/],
    [
      { SITEPOD_GATEWAY_POD_NAMESPACE: "Traefik" },
      /SITEPOD_GATEWAY_POD_NAMESPACE "Traefik" is not a namespace name/,
    ],
  ])("refuses %j, saying what to set", (env, message) => {
    expect(() => clusterSettingsFromEnv(env)).toThrow(message);
  });
});

describe("parseGatewayRef and parseLabelSelector", () => {
  it("read namespace/name and k=v lists", () => {
    expect(parseGatewayRef(" kube-system/gw.v1 ")).toEqual({ namespace: "kube-system", name: "gw.v1" });
    expect(parseLabelSelector("")).toEqual({});
    expect(parseLabelSelector("a=1,example.com/b=")).toEqual({ a: "1", "example.com/b": "" });
  });
});
