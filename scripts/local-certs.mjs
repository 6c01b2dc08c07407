/**
 * The TLS a local Sitepod API server (hosting.sitepod.io, lib/apiserver) serves with, for
 * `npm run up`: a certificate authority of its own and a serving certificate for 127.0.0.1 and
 * localhost signed by it, generated once into `<state folder>/apiserver/` with the openssl command
 * (keys mode 0600, git-ignored) and reused while valid. kubectl trusts the server through the CA
 * (`--certificate-authority`). A deployment brings its own certificate instead (deploy/apiserver.yaml).
 * Plain Node because `npm run up` runs it before anything is compiled.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A certificate this close to expiry is made again. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

function openssl(args, cwd) {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function usable(file, hosts) {
  if (!existsSync(file)) return false;
  try {
    const cert = new X509Certificate(readFileSync(file));
    if (new Date(cert.validTo).getTime() - Date.now() < RENEW_BEFORE_MS) return false;
    const names = cert.subjectAltName ?? "";
    return hosts.every((h) => names.includes(h));
  } catch {
    return false;
  }
}

/**
 * Returns the paths `{ dir, caCert, cert, key }` of the API server's CA and serving certificate,
 * generating what is missing, expiring or not valid for `hosts`. The CA is kept as long as it is
 * valid, so a kubeconfig pointing at it keeps working across restarts.
 */
export function ensureLocalCerts(stateDir, hosts = ["127.0.0.1", "localhost"]) {
  const dir = path.join(stateDir, "apiserver");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = {
    dir,
    caCert: path.join(dir, "ca.crt"),
    caKey: path.join(dir, "ca.key"),
    cert: path.join(dir, "tls.crt"),
    key: path.join(dir, "tls.key"),
  };
  const caValid = existsSync(paths.caKey) && usable(paths.caCert, []);
  if (!caValid) {
    openssl(
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "3650",
        "-subj",
        "/CN=Sitepod local API server CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
      ],
      dir,
    );
    chmodSync(paths.caKey, 0o600);
  }
  if (!caValid || !usable(paths.cert, hosts)) {
    const sans = hosts.map((h) => (/^[\d.]+$/.test(h) || h.includes(":") ? `IP:${h}` : `DNS:${h}`)).join(",");
    writeFileSync(
      path.join(dir, "tls.ext"),
      [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth",
        `subjectAltName=${sans}`,
        "",
      ].join("\n"),
    );
    openssl(
      [
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "tls.key",
        "-out",
        "tls.csr",
        "-subj",
        "/CN=sitepod-apiserver",
      ],
      dir,
    );
    openssl(
      [
        "x509",
        "-req",
        "-in",
        "tls.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "tls.crt",
        "-days",
        "825",
        "-extfile",
        "tls.ext",
      ],
      dir,
    );
    chmodSync(paths.key, 0o600);
    for (const leftover of ["tls.csr", "tls.ext", "ca.srl"])
      rmSync(path.join(dir, leftover), { force: true });
  }
  return { dir: paths.dir, caCert: paths.caCert, cert: paths.cert, key: paths.key };
}
