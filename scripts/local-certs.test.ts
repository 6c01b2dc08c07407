import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations (it runs before dependencies exist).
import { ensureLocalCerts } from "./local-certs.mjs";

type Certs = { dir: string; caCert: string; cert: string; key: string };
const ensure = ensureLocalCerts as (stateDir: string, hosts?: string[]) => Certs;

describe("npm run up's API server certificates", () => {
  it("makes a CA and a serving certificate for 127.0.0.1 and localhost, keys readable only by the owner", () => {
    const state = mkdtempSync(path.join(tmpdir(), "sitepod-certs-"));
    const certs = ensure(state);
    const ca = new X509Certificate(readFileSync(certs.caCert));
    const cert = new X509Certificate(readFileSync(certs.cert));
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(ca.ca).toBe(true);
    expect(statSync(certs.key).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(certs.dir, "ca.key")).mode & 0o777).toBe(0o600);
  });

  it("reuses them on the next start, and makes a new serving certificate (same CA) for other hosts", () => {
    const state = mkdtempSync(path.join(tmpdir(), "sitepod-certs-"));
    const first = ensure(state);
    const cert = readFileSync(first.cert, "utf8");
    const ca = readFileSync(first.caCert, "utf8");
    ensure(state);
    expect(readFileSync(first.cert, "utf8")).toBe(cert);
    ensure(state, ["127.0.0.1", "localhost", "api.example.test"]);
    expect(readFileSync(first.cert, "utf8")).not.toBe(cert);
    expect(readFileSync(first.caCert, "utf8")).toBe(ca);
    expect(new X509Certificate(readFileSync(first.cert)).subjectAltName).toContain("DNS:api.example.test");
  });
});
