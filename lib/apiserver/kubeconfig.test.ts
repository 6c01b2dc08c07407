import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildKubeconfig } from "@/lib/apiserver/kubeconfig";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBdTCCARugAwIBAgIU\n-----END CERTIFICATE-----\n";

describe("buildKubeconfig", () => {
  it("writes the server and its CA, the token's user and a context per namespace, the first current", () => {
    const text = buildKubeconfig({
      server: "https://127.0.0.1:3443",
      caPem: CA,
      token: "sp_0123456789abcdef_secret",
      userName: "acme-0123456789abcdef",
      contexts: [{ namespace: "acme" }, { namespace: "acme-shop" }],
    });
    expect(parse(text)).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "sitepod",
          cluster: {
            server: "https://127.0.0.1:3443",
            "certificate-authority-data": Buffer.from(CA).toString("base64"),
          },
        },
      ],
      users: [{ name: "acme-0123456789abcdef", user: { token: "sp_0123456789abcdef_secret" } }],
      contexts: [
        {
          name: "sitepod-acme",
          context: { cluster: "sitepod", user: "acme-0123456789abcdef", namespace: "acme" },
        },
        {
          name: "sitepod-acme-shop",
          context: { cluster: "sitepod", user: "acme-0123456789abcdef", namespace: "acme-shop" },
        },
      ],
      "current-context": "sitepod-acme",
      preferences: {},
    });
    // The CA decodes back to the PEM kubectl verifies the server with.
    const cluster = parse(text).clusters[0].cluster;
    expect(Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8")).toBe(CA);
  });

  it("leaves the CA out when a publicly trusted certificate serves the URL", () => {
    const config = parse(
      buildKubeconfig({
        server: "https://api.hosting.example",
        caPem: null,
        token: "sp_x",
        userName: "u",
        contexts: [{ namespace: "acme" }],
      }),
    );
    expect(config.clusters[0].cluster).toEqual({ server: "https://api.hosting.example" });
  });

  it("refuses to build a kubeconfig without a context", () => {
    expect(() =>
      buildKubeconfig({ server: "https://x", caPem: null, token: "t", userName: "u", contexts: [] }),
    ).toThrow(/at least one context/);
  });
});
