/**
 * cert-manager on the local cluster: its controllers as one local process (built by
 * cluster/build.sh from cluster/cert-manager/, run against the cluster's kubeconfig on 127.0.0.1,
 * no leader election, no webhook: the CRDs are installed without conversion webhooks), and two
 * ClusterIssuers:
 * - `sitepod-local-ca`, a CA whose keypair is generated once into the state directory, so that
 *   certificates are really issued on this machine;
 * - `sitepod-local-acme`, an ACME account with Pebble (Let's Encrypt's ACME test server, a local
 *   process on 127.0.0.1 serving TLS from that CA), so that the ACME steps (Order, Challenge) are
 *   real: HTTP-01 self checks fail for names that do not resolve to this machine, and Pebble refuses
 *   names under PEBBLE_REFUSED_DOMAIN by policy.
 * Started by `cluster:up`, stopped by `cluster:down`.
 *
 * Node built-ins only, like the rest of cluster/.
 */
import { execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/** Where ClusterIssuers' Secrets live (the controller's --cluster-resource-namespace). */
export const CERT_MANAGER_NAMESPACE = "cert-manager";
/** The CA ClusterIssuer of the local cluster; its Secret has the same name. */
export const LOCAL_CLUSTER_ISSUER = "sitepod-local-ca";
/** The ACME ClusterIssuer of the local cluster, registered with the local Pebble. */
export const LOCAL_ACME_ISSUER = "sitepod-local-acme";
/** Pebble refuses to issue for this domain and every name under it (rejectedIdentifier). */
export const PEBBLE_REFUSED_DOMAIN = "refused.test";

/** A local process's files: where its pid and its output go. */
export interface ProcessFiles {
  pidFile: string;
  logFile: string;
}

export interface CertManagerLayout {
  dir: string;
  controller: ProcessFiles;
  pebble: ProcessFiles & { config: string; cert: string; key: string };
  caCert: string;
  caKey: string;
}

/** Under the checkout's state directory, like the cluster it serves. */
export function certManagerLayout(stateDir: string): CertManagerLayout {
  const dir = path.join(stateDir, "cert-manager");
  return {
    dir,
    controller: { pidFile: path.join(dir, "controller.pid"), logFile: path.join(dir, "controller.log") },
    pebble: {
      pidFile: path.join(dir, "pebble.pid"),
      logFile: path.join(dir, "pebble.log"),
      config: path.join(dir, "pebble.json"),
      cert: path.join(dir, "pebble.crt"),
      key: path.join(dir, "pebble.key"),
    },
    caCert: path.join(dir, "ca.crt"),
    caKey: path.join(dir, "ca.key"),
  };
}

export class CertManagerError extends Error {
  override name = "CertManagerError";
}

/** The controller's command line: loopback only (its health endpoint), the local issuer's namespace. */
export function controllerArgs(options: { kubeconfig: string; gatewayApi: boolean }): string[] {
  return [
    `--kubeconfig=${options.kubeconfig}`,
    `--cluster-resource-namespace=${CERT_MANAGER_NAMESPACE}`,
    "--healthz-listen-address=127.0.0.1:0",
    ...(options.gatewayApi ? ["--enable-gateway-api"] : []),
    "--v=2",
  ];
}

function openssl(args: string[], what: string): void {
  try {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer; message: string };
    throw new CertManagerError(
      e.code === "ENOENT"
        ? `openssl is needed to make ${what} (Debian: apt-get install openssl)`
        : `openssl could not make ${what}: ${(e.stderr?.toString() || e.message).trim()}`,
    );
  }
}

/** Moves `<file>.tmp` into place (the key readable by its owner only). */
function commit(file: string, mode?: number): void {
  writeFileSync(file, readFileSync(`${file}.tmp`), mode === undefined ? {} : { mode });
  rmSync(`${file}.tmp`, { force: true });
}

/**
 * The CA keypair (ECDSA P-256, ten years), made once and kept across `down`/`up` so that a browser
 * or a test told to trust it keeps trusting the local cluster's certificates. Returns whether it
 * was made now.
 */
export function ensureLocalCa(layout: CertManagerLayout): boolean {
  if (existsSync(layout.caCert) && existsSync(layout.caKey)) return false;
  mkdirSync(layout.dir, { recursive: true });
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
      `${layout.caKey}.tmp`,
      "-out",
      `${layout.caCert}.tmp`,
      "-days",
      "3650",
      "-subj",
      "/O=Sitepod local cluster/CN=Sitepod local CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    "the local cluster's CA",
  );
  commit(layout.caKey, 0o600);
  commit(layout.caCert);
  // A new CA: the serving certificate signed by the old one is no longer trusted.
  rmSync(layout.pebble.cert, { force: true });
  return true;
}

/** Pebble's serving certificate for 127.0.0.1, signed by the local CA (made once, like the CA). */
export function ensurePebbleCertificate(layout: CertManagerLayout): boolean {
  const { cert, key } = layout.pebble;
  if (existsSync(cert) && existsSync(key)) return false;
  const csr = `${cert}.csr`;
  const ext = `${cert}.ext`;
  writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  try {
    openssl(
      [
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        `${key}.tmp`,
        "-out",
        csr,
        "-subj",
        "/O=Sitepod local cluster/CN=pebble",
      ],
      "Pebble's certificate",
    );
    openssl(
      [
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        layout.caCert,
        "-CAkey",
        layout.caKey,
        "-CAcreateserial",
        "-CAserial",
        `${cert}.srl`,
        "-days",
        "3650",
        "-extfile",
        ext,
        "-out",
        `${cert}.tmp`,
      ],
      "Pebble's certificate",
    );
  } finally {
    rmSync(csr, { force: true });
    rmSync(ext, { force: true });
    rmSync(`${cert}.srl`, { force: true });
  }
  commit(key, 0o600);
  commit(cert);
  return true;
}

/** Pebble's configuration: loopback only, no management interface, the refused domain blocked. */
export function pebbleConfig(options: { port: number; cert: string; key: string }): object {
  return {
    pebble: {
      listenAddress: `127.0.0.1:${options.port}`,
      managementListenAddress: "",
      certificate: options.cert,
      privateKey: options.key,
      // Where Pebble would validate challenges; cert-manager's own self check fails first here.
      httpPort: 5002,
      tlsPort: 5001,
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
      domainBlocklist: [PEBBLE_REFUSED_DOMAIN],
      retryAfter: { authz: 3, order: 5 },
      keyAlgorithm: "ecdsa",
      profiles: { default: { description: "The local cluster's", validityPeriod: 7776000 } },
    },
  };
}

/** Pebble's command line and environment: no random sleeps, no nonce rejections (deterministic). */
export function pebbleCommand(configFile: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ["-config", configFile],
    env: { ...process.env, PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" },
  };
}

/** The ACME directory URL of the Pebble configured in `configFile`. */
export function pebbleDirectory(configFile: string): string {
  const config = JSON.parse(readFileSync(configFile, "utf8")) as { pebble: { listenAddress: string } };
  return `https://${config.pebble.listenAddress}/dir`;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const PART_OF = "app.kubernetes.io/part-of: sitepod-local-cluster";

/** The namespace, the CA Secret and the CA ClusterIssuer, for `kubectl apply -f -`. */
export function localIssuerManifests(caCertPem: string, caKeyPem: string): string {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  return `apiVersion: v1
kind: Namespace
metadata: {name: ${CERT_MANAGER_NAMESPACE}, labels: {${PART_OF}}}
---
apiVersion: v1
kind: Secret
metadata: {name: ${LOCAL_CLUSTER_ISSUER}, namespace: ${CERT_MANAGER_NAMESPACE}, labels: {${PART_OF}}}
type: kubernetes.io/tls
data:
  tls.crt: ${b64(caCertPem)}
  tls.key: ${b64(caKeyPem)}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: ${LOCAL_CLUSTER_ISSUER}, labels: {${PART_OF}}}
spec:
  ca: {secretName: ${LOCAL_CLUSTER_ISSUER}}
`;
}

/**
 * The ACME ClusterIssuer registered with Pebble at `directoryUrl` (trusting the local CA, which
 * signed Pebble's certificate); HTTP-01 through an Ingress per challenge, as ingress-shim's sites do.
 */
export function acmeIssuerManifest(directoryUrl: string, caCertPem: string): string {
  return `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: ${LOCAL_ACME_ISSUER}, labels: {${PART_OF}}}
spec:
  acme:
    server: ${directoryUrl}
    caBundle: ${Buffer.from(caCertPem).toString("base64")}
    email: operator@sitepod.test
    privateKeySecretRef: {name: ${LOCAL_ACME_ISSUER}-account}
    solvers:
    - http01:
        ingress: {}
`;
}

interface IssuerList {
  items?: {
    metadata?: { name?: string; generation?: number };
    status?: {
      conditions?: { type?: string; status?: string; message?: string; observedGeneration?: number }[];
    };
  }[];
}

/**
 * Which of `names` are not Ready yet in a ClusterIssuer list (`kubectl get clusterissuers -o json`),
 * each with why; a Ready condition of an older generation (the spec changed since) does not count.
 */
export function issuersNotReady(list: IssuerList, names: string[]): string[] {
  return names.flatMap((name) => {
    const issuer = list.items?.find((i) => i.metadata?.name === name);
    if (!issuer) return [`${name}: not found`];
    const ready = issuer.status?.conditions?.find((c) => c.type === "Ready");
    const current =
      ready?.observedGeneration === undefined || ready.observedGeneration === issuer.metadata?.generation;
    if (ready?.status === "True" && current) return [];
    return [`${name}: ${ready && current ? (ready.message ?? "not Ready") : "not looked at yet"}`];
  });
}

function readPid(files: ProcessFiles): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(files.pidFile, "utf8").trim(), 10);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a running process started from `bin` (not a pid reused since). */
export function isProcessOf(pid: number, bin: string): boolean {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    return argv0 === bin;
  } catch {
    return false;
  }
}

/** The pid of the running process of `bin` recorded in `files`, or undefined. */
export function runningProcess(files: ProcessFiles, bin: string): number | undefined {
  const pid = readPid(files);
  return pid !== undefined && isProcessOf(pid, bin) ? pid : undefined;
}

/** Starts `bin args`, detached, its output in the log file; does nothing when it runs. */
export function startProcess(
  files: ProcessFiles,
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { pid: number; started: boolean } {
  const running = runningProcess(files, bin);
  if (running !== undefined) return { pid: running, started: false };
  if (!existsSync(bin)) throw new CertManagerError(`${bin} is missing: run cluster/build.sh`);
  mkdirSync(path.dirname(files.pidFile), { recursive: true });
  const log = openSync(files.logFile, "a");
  const child = spawn(bin, args, { detached: true, stdio: ["ignore", log, log], env });
  closeSync(log);
  if (child.pid === undefined) throw new CertManagerError(`could not start ${bin}`);
  child.unref();
  writeFileSync(files.pidFile, `${child.pid}\n`);
  return { pid: child.pid, started: true };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the process (SIGTERM, then SIGKILL after `graceMs`) and removes its pid and log files.
 * Only a process of `bin` is signalled. Returns whether one was running.
 */
export async function stopProcess(files: ProcessFiles, bin: string, graceMs = 10_000): Promise<boolean> {
  const pid = runningProcess(files, bin);
  if (pid !== undefined) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, "SIGKILL");
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
  rmSync(files.pidFile, { force: true });
  rmSync(files.logFile, { force: true });
  return pid !== undefined;
}

/** The last lines of a process's log, for error messages. */
export function logTail(files: ProcessFiles, lines = 15): string {
  try {
    return readFileSync(files.logFile, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
