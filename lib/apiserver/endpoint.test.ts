import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiServerEndpoint } from "@/lib/apiserver/endpoint";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBdTCCARugAwIBAgIU\n-----END CERTIFICATE-----\n";

function file(text: string): string {
  const name = path.join(mkdtempSync(path.join(tmpdir(), "sitepod-endpoint-")), "ca.crt");
  writeFileSync(name, text);
  return name;
}

describe("apiServerEndpoint", () => {
  it("is null when no URL is set (blank counts as unset)", () => {
    expect(apiServerEndpoint({})).toBeNull();
    expect(apiServerEndpoint({ SITEPOD_APISERVER_URL: "  " })).toBeNull();
    // deploy/config.yaml names the mounted CA file before anyone sets a URL.
    expect(apiServerEndpoint({ SITEPOD_APISERVER_CA_FILE: "/nonexistent/ca.crt" })).toBeNull();
  });

  it("answers the URL without a trailing slash and the CA file's PEM", () => {
    expect(
      apiServerEndpoint({
        SITEPOD_APISERVER_URL: "https://127.0.0.1:3443/",
        SITEPOD_APISERVER_CA_FILE: file(CA),
      }),
    ).toEqual({ url: "https://127.0.0.1:3443", caPem: CA });
    expect(apiServerEndpoint({ SITEPOD_APISERVER_URL: "https://api.hosting.example" })).toEqual({
      url: "https://api.hosting.example",
      caPem: null,
    });
  });

  it("refuses what kubectl could not use, naming the setting", () => {
    expect(() => apiServerEndpoint({ SITEPOD_APISERVER_URL: "http://127.0.0.1:3443" })).toThrow(
      /^SITEPOD_APISERVER_URL must be an https URL/,
    );
    expect(() => apiServerEndpoint({ SITEPOD_APISERVER_URL: "api.hosting.example" })).toThrow(
      /^SITEPOD_APISERVER_URL/,
    );
    expect(() =>
      apiServerEndpoint({
        SITEPOD_APISERVER_URL: "https://x.example",
        SITEPOD_APISERVER_CA_FILE: "/nonexistent/ca.crt",
      }),
    ).toThrow(/^SITEPOD_APISERVER_CA_FILE \(\/nonexistent\/ca.crt\) cannot be read/);
    expect(() =>
      apiServerEndpoint({
        SITEPOD_APISERVER_URL: "https://x.example",
        SITEPOD_APISERVER_CA_FILE: file("not a cert"),
      }),
    ).toThrow(/holds no PEM certificate/);
  });
});
