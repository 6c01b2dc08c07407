import { createPrivateKey, X509Certificate } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acmeIssuerManifest,
  CERT_MANAGER_NAMESPACE,
  type CertManagerLayout,
  certManagerLayout,
  controllerArgs,
  ensureLocalCa,
  ensurePebbleCertificate,
  freeLoopbackPort,
  isProcessOf,
  issuersNotReady,
  LOCAL_ACME_ISSUER,
  LOCAL_CLUSTER_ISSUER,
  localIssuerManifests,
  PEBBLE_REFUSED_DOMAIN,
  pebbleCommand,
  pebbleConfig,
  pebbleDirectory,
  runningProcess,
  startProcess,
  stopProcess,
} from "./cert-manager";

let dir = "";
let layout: CertManagerLayout;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "sitepod-cm-"));
  layout = certManagerLayout(dir);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("controllerArgs", () => {
  it("runs against the given kubeconfig, loopback only, issuing for ClusterIssuers from the local namespace", () => {
    expect(controllerArgs({ kubeconfig: "/s/kubeconfig", gatewayApi: false })).toEqual([
      "--kubeconfig=/s/kubeconfig",
      `--cluster-resource-namespace=${CERT_MANAGER_NAMESPACE}`,
      "--healthz-listen-address=127.0.0.1:0",
      "--v=2",
    ]);
  });

  it("turns the Gateway API shim on only when asked (its CRDs are installed)", () => {
    expect(controllerArgs({ kubeconfig: "k", gatewayApi: true })).toContain("--enable-gateway-api");
  });
});

describe("ensureLocalCa", () => {
  it("makes a CA keypair once, the key readable by its owner only, and keeps it afterwards", () => {
    expect(ensureLocalCa(layout)).toBe(true);
    const pem = readFileSync(layout.caCert, "utf8");
    const ca = new X509Certificate(pem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain("CN=Sitepod local CA");
    expect(ca.checkPrivateKey(createPrivateKey(readFileSync(layout.caKey)))).toBe(true);
    expect(Date.parse(ca.validTo)).toBeGreaterThan(Date.now() + 9 * 365 * 24 * 3600 * 1000);
    expect(statSync(layout.caKey).mode & 0o077).toBe(0);

    expect(ensureLocalCa(layout)).toBe(false);
    expect(readFileSync(layout.caCert, "utf8")).toBe(pem);
  });
});

describe("localIssuerManifests", () => {
  it("renders the namespace, the CA Secret (base64 of the PEM files) and the ClusterIssuer naming it", () => {
    const yaml = localIssuerManifests("CERT PEM\n", "KEY PEM\n");
    const docs = yaml.split("\n---\n");
    expect(docs).toHaveLength(3);
    expect(docs[0]).toContain(`kind: Namespace\nmetadata: {name: ${CERT_MANAGER_NAMESPACE},`);
    expect(docs[1]).toContain("type: kubernetes.io/tls");
    expect(docs[1]).toContain(
      `metadata: {name: ${LOCAL_CLUSTER_ISSUER}, namespace: ${CERT_MANAGER_NAMESPACE},`,
    );
    expect(docs[1]).toContain(`tls.crt: ${Buffer.from("CERT PEM\n").toString("base64")}`);
    expect(docs[1]).toContain(`tls.key: ${Buffer.from("KEY PEM\n").toString("base64")}`);
    expect(docs[2]).toContain("kind: ClusterIssuer");
    expect(docs[2]).toContain(`ca: {secretName: ${LOCAL_CLUSTER_ISSUER}}`);
    for (const doc of docs) expect(doc).toContain("app.kubernetes.io/part-of: sitepod-local-cluster");
  });
});

describe("Pebble", () => {
  it("serves TLS for 127.0.0.1 with a certificate of the local CA, made once", () => {
    ensureLocalCa(layout);
    expect(ensurePebbleCertificate(layout)).toBe(true);
    const cert = new X509Certificate(readFileSync(layout.pebble.cert));
    const ca = new X509Certificate(readFileSync(layout.caCert));
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(cert.ca).toBe(false);
    expect(statSync(layout.pebble.key).mode & 0o077).toBe(0);
    expect(ensurePebbleCertificate(layout)).toBe(false);
  });

  it("is configured on loopback only, without a management interface, refusing the refused domain", () => {
    const config = pebbleConfig({ port: 14123, cert: "/c.pem", key: "/k.pem" }) as {
      pebble: Record<string, unknown>;
    };
    expect(config.pebble).toMatchObject({
      listenAddress: "127.0.0.1:14123",
      managementListenAddress: "",
      certificate: "/c.pem",
      privateKey: "/k.pem",
      domainBlocklist: [PEBBLE_REFUSED_DOMAIN],
    });
    mkdirSync(layout.dir, { recursive: true });
    writeFileSync(layout.pebble.config, JSON.stringify(config));
    expect(pebbleDirectory(layout.pebble.config)).toBe("https://127.0.0.1:14123/dir");
    const command = pebbleCommand(layout.pebble.config);
    expect(command.args).toEqual(["-config", layout.pebble.config]);
    // Deterministic: no random validation sleeps, no nonces refused on purpose.
    expect(command.env).toMatchObject({ PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" });
  });

  it("gets a port nobody listens on", async () => {
    const port = await freeLoopbackPort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });

  it("is the ACME issuer's server, trusted through the local CA, solving HTTP-01 with an Ingress", () => {
    const yaml = acmeIssuerManifest("https://127.0.0.1:14123/dir", "CA PEM\n");
    expect(yaml).toContain(`kind: ClusterIssuer\nmetadata: {name: ${LOCAL_ACME_ISSUER},`);
    expect(yaml).toContain("server: https://127.0.0.1:14123/dir");
    expect(yaml).toContain(`caBundle: ${Buffer.from("CA PEM\n").toString("base64")}`);
    expect(yaml).toContain("- http01:\n        ingress: {}");
  });
});

describe("the controller process", () => {
  /** A stand-in binary: a copy of sleep, so that its argv[0] is its own path as the controller's is. */
  function fakeController(): string {
    const bin = path.join(dir, "cert-manager-controller");
    copyFileSync("/bin/sleep", bin);
    return bin;
  }

  it("starts once, is found again by its pid file, and stops, leaving the CA but no pid or log", async () => {
    const bin = fakeController();
    ensureLocalCa(layout);
    const first = startProcess(layout.controller, bin, ["60"]);
    expect(first.started).toBe(true);
    expect(isProcessOf(first.pid, bin)).toBe(true);
    expect(startProcess(layout.controller, bin, ["60"])).toEqual({ pid: first.pid, started: false });
    expect(runningProcess(layout.controller, bin)).toBe(first.pid);

    expect(await stopProcess(layout.controller, bin, 2_000)).toBe(true);
    expect(isProcessOf(first.pid, bin)).toBe(false);
    expect(runningProcess(layout.controller, bin)).toBeUndefined();
    expect(() => statSync(layout.controller.pidFile)).toThrow();
    expect(() => statSync(layout.controller.logFile)).toThrow();
    expect(statSync(layout.caCert).isFile()).toBe(true);
    expect(await stopProcess(layout.controller, bin)).toBe(false);
  });

  it("never signals a process that is not the controller (a pid reused since)", async () => {
    const bin = fakeController();
    // This test runner's own pid, left in the pid file: alive, but not the controller binary.
    mkdirSync(layout.dir, { recursive: true });
    writeFileSync(layout.controller.pidFile, `${process.pid}\n`);
    expect(runningProcess(layout.controller, bin)).toBeUndefined();
    expect(await stopProcess(layout.controller, bin)).toBe(false);
    const started = startProcess(layout.controller, bin, ["60"]);
    expect(started.started).toBe(true);
    expect(started.pid).not.toBe(process.pid);
    await stopProcess(layout.controller, bin, 2_000);
  });

  it("says to build it when the binary is missing", () => {
    expect(() => startProcess(layout.controller, path.join(dir, "missing"), [])).toThrow(
      /run cluster\/build\.sh/,
    );
  });
});

describe("issuersNotReady", () => {
  const issuer = (
    name: string,
    generation: number,
    ready?: { status: string; gen?: number; message?: string },
  ) => ({
    metadata: { name, generation },
    status: ready
      ? {
          conditions: [
            { type: "Ready", status: ready.status, observedGeneration: ready.gen, message: ready.message },
          ],
        }
      : {},
  });

  it("is empty when every issuer is Ready for its current spec", () => {
    const list = { items: [issuer("a", 2, { status: "True", gen: 2 }), issuer("b", 1, { status: "True" })] };
    expect(issuersNotReady(list, ["a", "b"])).toEqual([]);
  });

  it("names the missing, the not yet looked at, the stale and the failing ones, with cert-manager's message", () => {
    const list = {
      items: [
        issuer("fresh", 1),
        issuer("stale", 3, { status: "True", gen: 2 }),
        issuer("broken", 1, { status: "False", gen: 1, message: "Error getting keypair for CA issuer" }),
      ],
    };
    expect(issuersNotReady(list, ["gone", "fresh", "stale", "broken"])).toEqual([
      "gone: not found",
      "fresh: not looked at yet",
      "stale: not looked at yet",
      "broken: Error getting keypair for CA issuer",
    ]);
  });
});
