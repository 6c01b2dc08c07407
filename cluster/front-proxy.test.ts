import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureFrontProxyPki, FRONT_PROXY_CLIENT_NAME, frontProxyApiserverArgs } from "./front-proxy";

describe("ensureFrontProxyPki", () => {
  it("makes a CA and a client certificate it signed, once, keys readable by their owner only", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "front-proxy-")), "pki");
    const pki = ensureFrontProxyPki(dir);
    const ca = new X509Certificate(readFileSync(pki.caCert));
    const client = new X509Certificate(readFileSync(pki.clientCert));
    expect(ca.ca).toBe(true);
    expect(client.subject).toBe(`CN=${FRONT_PROXY_CLIENT_NAME}`);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.keyUsage).toContain("1.3.6.1.5.5.7.3.2");
    expect(statSync(pki.clientKey).mode & 0o777).toBe(0o600);
    const again = ensureFrontProxyPki(dir);
    expect(readFileSync(again.clientCert)).toEqual(readFileSync(pki.clientCert));
  });
});

describe("frontProxyApiserverArgs", () => {
  it("gives kube-apiserver the request-header CA, allowed name, header names and its proxy certificate", () => {
    const args = frontProxyApiserverArgs({
      caCert: "/p/ca.crt",
      caKey: "/p/ca.key",
      clientCert: "/p/c.crt",
      clientKey: "/p/c.key",
    });
    expect(Object.fromEntries(args.map((a) => [a.key, a.value]))).toEqual({
      "requestheader-client-ca-file": "/p/ca.crt",
      "requestheader-allowed-names": "front-proxy-client",
      "requestheader-username-headers": "X-Remote-User",
      "requestheader-group-headers": "X-Remote-Group",
      "requestheader-extra-headers-prefix": "X-Remote-Extra-",
      "proxy-client-cert-file": "/p/c.crt",
      "proxy-client-key-file": "/p/c.key",
    });
  });
});
