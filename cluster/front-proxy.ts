/**
 * The local cluster's front proxy: kube-apiserver proxies requests for aggregated APIs (Sitepod's
 * hosting.sitepod.io, registered by an APIService) with a client certificate of its own, and names
 * the user in X-Remote-* headers; the aggregated server trusts those headers only from a
 * certificate of the request-header CA. kwokctl sets --proxy-client-cert-file (to its admin
 * certificate) but no --requestheader-client-ca-file, so without these flags the cluster publishes
 * no front-proxy CA and no aggregated server can trust it.
 *
 * A CA of its own (not the cluster's client CA, which signs users' certificates: one of those must
 * never pass for the proxy), and a client certificate `CN=front-proxy-client` signed by it, made
 * once with openssl into `dir` (kept across `down`/`up`).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const FRONT_PROXY_CLIENT_NAME = "front-proxy-client";

export interface FrontProxyPki {
  caCert: string;
  caKey: string;
  clientCert: string;
  clientKey: string;
}

export function frontProxyPki(dir: string): FrontProxyPki {
  return {
    caCert: path.join(dir, "front-proxy-ca.crt"),
    caKey: path.join(dir, "front-proxy-ca.key"),
    clientCert: path.join(dir, "front-proxy-client.crt"),
    clientKey: path.join(dir, "front-proxy-client.key"),
  };
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer; message: string };
    throw new Error(
      e.code === "ENOENT"
        ? "openssl is needed to make the local cluster's front-proxy certificates (Debian: apt-get install openssl)"
        : `openssl could not make the front-proxy certificates: ${(e.stderr?.toString() || e.message).trim()}`,
    );
  }
}

/** Makes the front-proxy CA and client certificate in `dir` unless both are there; returns their paths. */
export function ensureFrontProxyPki(dir: string): FrontProxyPki {
  const pki = frontProxyPki(dir);
  if (Object.values(pki).every((file) => existsSync(file))) return pki;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      pki.caKey,
      "-out",
      pki.caCert,
      "-days",
      "3650",
      "-subj",
      "/CN=sitepod-local-front-proxy-ca",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  const csr = path.join(dir, "front-proxy-client.csr");
  const ext = path.join(dir, "front-proxy-client.ext");
  openssl(
    ["req", "-new", ...ec, "-keyout", pki.clientKey, "-out", csr, "-subj", `/CN=${FRONT_PROXY_CLIENT_NAME}`],
    dir,
  );
  writeFileSync(
    ext,
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      pki.caCert,
      "-CAkey",
      pki.caKey,
      "-CAcreateserial",
      "-out",
      pki.clientCert,
      "-days",
      "3650",
      "-extfile",
      ext,
    ],
    dir,
  );
  for (const file of [csr, ext, path.join(dir, "front-proxy-ca.srl")]) rmSync(file, { force: true });
  for (const key of [pki.caKey, pki.clientKey]) chmodSync(key, 0o600);
  return pki;
}

/**
 * kube-apiserver's front-proxy flags, as `componentsPatches` extraArgs (they come after kwokctl's
 * own, so --proxy-client-* replace its admin certificate: the last value of a flag wins).
 * --enable-aggregator-routing stays false: the aggregator then dials an APIService's Service by its
 * cluster IP or, for an ExternalName Service, by the external name, which lets the local cluster
 * reach a Sitepod API server listening on 127.0.0.1.
 */
export function frontProxyApiserverArgs(pki: FrontProxyPki): { key: string; value: string }[] {
  return [
    { key: "requestheader-client-ca-file", value: pki.caCert },
    { key: "requestheader-allowed-names", value: FRONT_PROXY_CLIENT_NAME },
    { key: "requestheader-username-headers", value: "X-Remote-User" },
    { key: "requestheader-group-headers", value: "X-Remote-Group" },
    { key: "requestheader-extra-headers-prefix", value: "X-Remote-Extra-" },
    { key: "proxy-client-cert-file", value: pki.clientCert },
    { key: "proxy-client-key-file", value: pki.clientKey },
  ];
}
