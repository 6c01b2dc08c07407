/**
 * The local Kubernetes control plane for development and tests: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok (simulated nodes), run as local processes
 * by kwokctl's binary runtime on 127.0.0.1, from binaries built by cluster/build.sh; and
 * cert-manager's controller with a local CA ClusterIssuer (cluster/cert-manager.ts).
 *
 * Node built-ins only (plus the cached kubectl/kwokctl binaries), so that scripts, test global
 * setups and `npm run up` can all use it before anything else is installed or built.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  coreDnsManifests,
  GATEWAY_NAME,
  GATEWAY_NAMESPACE,
  GATEWAY_POD_LABEL,
  gatewayManifests,
  LOCAL_PATH_NAMESPACE,
  localPathManifests,
} from "./addons";
import {
  acmeIssuerManifest,
  certManagerLayout,
  controllerArgs,
  ensureLocalCa,
  ensurePebbleCertificate,
  freeLoopbackPort,
  issuersNotReady,
  LOCAL_ACME_ISSUER,
  LOCAL_CLUSTER_ISSUER,
  localIssuerManifests,
  logTail,
  pebbleCommand,
  pebbleConfig,
  pebbleDirectory,
  runningProcess,
  startProcess,
  stopProcess,
} from "./cert-manager";
import { ensureFrontProxyPki, frontProxyApiserverArgs } from "./front-proxy";
import { ensureImages, type ImageSet, importImages } from "./images";
import {
  clearLeftoverNode,
  containerdSocket,
  KUBERNETES_SERVICE_IP,
  KWOK_TAINT,
  NODE_IP,
  NODE_NAME,
  nodeLogsDir,
  NodeError,
  realNodeSkipped,
  SERVICE_CIDR,
  startGatewayForwarder,
  startNode,
  stopNode,
} from "./node";

const execFileAsync = promisify(execFile);

export const CLUSTER_NAME = "sitepod";
export const NODE_COUNT = 2;

const repoRoot = path.resolve(import.meta.dirname, "..");

export interface ClusterPaths {
  repoRoot: string;
  stateDir: string;
  workdir: string;
  kubeconfig: string;
  kwokctlConfig: string;
  cacheRoot: string;
  binDir: string;
  crdDir: string;
  /** cert-manager's controllers as one binary (cluster/cert-manager/, built by cluster/build.sh). */
  certManagerBin: string;
  /** Pebble, the local ACME server (cluster/build.sh). */
  pebbleBin: string;
  /** containerd, ctr, CoreDNS, kube-router, Traefik (cluster/build-node.sh). */
  nodeBinDir: string;
  cniBinDir: string;
  gatewayCrdDir: string;
}

export class ClusterError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "ClusterError";
  }
}

export function readVersions(): Record<string, string> {
  const text = readFileSync(path.join(repoRoot, "cluster", "versions.env"), "utf8");
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

export function clusterPaths(): ClusterPaths {
  const v = readVersions();
  const cacheRoot =
    process.env.SITEPOD_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "sitepod");
  const stateDir = path.join(repoRoot, ".sitepod");
  const nodeDir = path.join(
    cacheRoot,
    `node-containerd-${v.CONTAINERD_VERSION}-cni-${v.CNI_PLUGINS_VERSION}-coredns-${v.COREDNS_VERSION}-kuberouter-${v.KUBE_ROUTER_VERSION}-traefik-${v.TRAEFIK_VERSION}`,
  );
  return {
    repoRoot,
    stateDir,
    workdir: path.join(stateDir, "kwok"),
    kubeconfig: path.join(stateDir, "kubeconfig"),
    kwokctlConfig: path.join(stateDir, "kwokctl.yaml"),
    cacheRoot,
    binDir: path.join(cacheRoot, `k8s-${v.KUBERNETES_VERSION}-kwok-${v.KWOK_VERSION}`, "bin"),
    crdDir: path.join(cacheRoot, `cert-manager-${v.CERT_MANAGER_VERSION}`, "crds"),
    certManagerBin: path.join(
      cacheRoot,
      `cert-manager-${v.CERT_MANAGER_VERSION}`,
      "bin",
      "cert-manager-controller",
    ),
    pebbleBin: path.join(cacheRoot, `pebble-${v.PEBBLE_VERSION}`, "bin", "pebble"),
    nodeBinDir: path.join(nodeDir, "bin"),
    cniBinDir: path.join(nodeDir, "cni"),
    gatewayCrdDir: path.join(cacheRoot, `gateway-api-${v.GATEWAY_API_VERSION}`, "crds"),
  };
}

type Say = (line: string) => void;
const quiet: Say = () => {};

async function run(
  bin: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  if (opts.input !== undefined) {
    return runWithInput(bin, args, opts.input, opts.env);
  }
  try {
    const { stdout, stderr } = await execFileAsync(bin, args, {
      env: opts.env ?? process.env,
      timeout: opts.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new ClusterError(
      `${path.basename(bin)} ${args.join(" ")} failed: ${(e.stderr || e.stdout || e.message).trim()}`,
    );
  }
}

function runWithInput(
  bin: string,
  args: string[],
  input: string,
  env?: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new ClusterError(`${path.basename(bin)} ${args.join(" ")} failed: ${stderr.trim()}`));
    });
    child.stdin.end(input);
  });
}

function kwokEnv(p: ClusterPaths): NodeJS.ProcessEnv {
  return { ...process.env, KWOK_WORKDIR: p.workdir };
}

function binariesPresent(p: ClusterPaths): boolean {
  return ["kwokctl", "kubectl", "kube-apiserver", "etcd", "kwok"].every((b) =>
    existsSync(path.join(p.binDir, b)),
  );
}

function nodeBinariesPresent(p: ClusterPaths): boolean {
  return (
    ["kubelet", "kube-proxy"].every((b) => existsSync(path.join(p.binDir, b))) &&
    [
      "containerd",
      "containerd-shim-runc-v2",
      "ctr",
      "coredns",
      "kube-router",
      "local-path-provisioner",
      "traefik",
    ].every((b) => existsSync(path.join(p.nodeBinDir, b))) &&
    ["bridge", "host-local", "loopback", "portmap"].every((b) => existsSync(path.join(p.cniBinDir, b)))
  );
}

function runScript(script: string, cacheRoot: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn("bash", [path.join(repoRoot, "cluster", script)], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, SITEPOD_CACHE_DIR: cacheRoot },
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else if (code === 3)
        reject(new ClusterError("Go is required to build the local cluster (see above).", 3));
      else reject(new ClusterError(`cluster/${script} failed with exit code ${code}`));
    });
  });
}

/** realNodeSkipped, its refusal of a bad SITEPOD_REAL_NODE as the CLI reports it. */
function realNodeSkippedHere(): string | undefined {
  try {
    return realNodeSkipped();
  } catch (err) {
    if (err instanceof NodeError) throw new ClusterError(err.message, 2);
    throw err;
  }
}

/** Builds the binaries and fetches the CRDs when missing (first run only). Returns the bin dir. */
export async function ensureBinaries(say: Say = quiet): Promise<string> {
  const p = clusterPaths();
  const withNode = realNodeSkippedHere() === undefined;
  const controlPlaneReady =
    binariesPresent(p) &&
    existsSync(p.certManagerBin) &&
    existsSync(p.pebbleBin) &&
    CERT_MANAGER_CRDS.every((f) => existsSync(path.join(p.crdDir, `${f}.yaml`))) &&
    existsSync(path.join(p.gatewayCrdDir, "gateway.networking.k8s.io_httproutes.yaml"));
  if (controlPlaneReady && (!withNode || nodeBinariesPresent(p))) return p.binDir;
  say(`Building the local cluster into ${p.cacheRoot} (first run only)...`);
  const started = Date.now();
  await runScript("build.sh", p.cacheRoot);
  if (withNode) await runScript("build-node.sh", p.cacheRoot);
  say(`Built in ${Math.round((Date.now() - started) / 1000)}s.`);
  return p.binDir;
}

/** The cert-manager CRDs build.sh fetches (the ACME ones too: the controller watches Orders and Challenges). */
const CERT_MANAGER_CRDS = [
  "cert-manager.io_certificates",
  "cert-manager.io_certificaterequests",
  "cert-manager.io_issuers",
  "cert-manager.io_clusterissuers",
  "acme.cert-manager.io_orders",
  "acme.cert-manager.io_challenges",
];

export interface ClusterStatus {
  running: boolean;
  exists: boolean;
  kubeconfig: string;
  serverVersion?: string;
  nodes: { name: string; ready: boolean }[];
}

async function serverVersion(p: ClusterPaths): Promise<string | undefined> {
  if (!existsSync(p.kubeconfig) || !binariesPresent(p)) return undefined;
  try {
    const { stdout } = await run(
      path.join(p.binDir, "kubectl"),
      ["--kubeconfig", p.kubeconfig, "--request-timeout=3s", "get", "--raw", "/version"],
      { timeoutMs: 5_000 },
    );
    const parsed = JSON.parse(stdout) as { gitVersion?: string };
    return parsed.gitVersion;
  } catch {
    return undefined;
  }
}

async function listNodes(p: ClusterPaths): Promise<{ name: string; ready: boolean }[]> {
  const { stdout } = await run(path.join(p.binDir, "kubectl"), [
    "--kubeconfig",
    p.kubeconfig,
    "get",
    "nodes",
    "-o",
    "json",
  ]);
  const list = JSON.parse(stdout) as {
    items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
  };
  return list.items.map((n) => ({
    name: n.metadata.name,
    ready: n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
  }));
}

export async function clusterStatus(): Promise<ClusterStatus> {
  const p = clusterPaths();
  const exists = existsSync(path.join(p.workdir, "clusters", CLUSTER_NAME));
  const version = await serverVersion(p);
  const nodes = version ? await listNodes(p).catch(() => []) : [];
  return { running: version !== undefined, exists, kubeconfig: p.kubeconfig, serverVersion: version, nodes };
}

/** The front-proxy CA and client certificate (cluster/front-proxy.ts), kept across `down`/`up`. */
export function frontProxyDir(p: ClusterPaths): string {
  return path.join(p.stateDir, "front-proxy");
}

function writeKwokctlConfig(p: ClusterPaths): void {
  const v = readVersions();
  const b = (name: string) => path.join(p.binDir, name);
  const pki = path.join(p.workdir, "clusters", CLUSTER_NAME, "pki");
  const frontProxyArgs = frontProxyApiserverArgs(ensureFrontProxyPki(frontProxyDir(p)))
    .map((arg) => `  - key: ${arg.key}\n    value: "${arg.value}"\n`)
    .join("");
  // Only local binaries, so kwokctl never downloads anything; loopback only.
  const config = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: ${v.KUBERNETES_VERSION}
  etcdBinary: ${b("etcd")}
  kubeApiserverBinary: ${b("kube-apiserver")}
  kubeControllerManagerBinary: ${b("kube-controller-manager")}
  kubeSchedulerBinary: ${b("kube-scheduler")}
  kubectlBinary: ${b("kubectl")}
  kwokControllerBinary: ${b("kwok")}
  # Pods reach the API server through the kubernetes Service (10.96.0.1), whose endpoint is the
  # real node's bridge address; the certificate must name both.
  kubeApiserverCertSANs: ["${KUBERNETES_SERVICE_IP}", "${NODE_IP}"]
componentsPatches:
- name: kube-apiserver
  extraArgs:
  - key: advertise-address
    value: "${NODE_IP}"
  - key: service-cluster-ip-range
    value: "${SERVICE_CIDR}"
  - key: kubelet-preferred-address-types
    value: InternalIP
  # Logs and exec: the API server authenticates to the kubelet with its client certificate and
  # checks the kubelet's serving certificate against the cluster CA.
  - key: kubelet-client-certificate
    value: "${pki}/admin.crt"
  - key: kubelet-client-key
    value: "${pki}/admin.key"
  - key: kubelet-certificate-authority
    value: "${pki}/ca.crt"
  # The front proxy of aggregated APIs (Sitepod's hosting.sitepod.io): cluster/front-proxy.ts.
${frontProxyArgs}# No storage driver runs here: the in-tree host-path provisioner (test-only) binds PVCs.
# Its client's default of 20 requests a second (burst 30) is shared by every controller:
# Deployments, ReplicaSets, Jobs, CronJobs, volumes, EndpointSlices, garbage collection. A few
# thousand sites (some ten writes each) would wait on it for most of an hour, as a provider's
# cluster would if it kept the default.
- name: kube-controller-manager
  extraArgs:
  - key: enable-hostpath-provisioner
    value: "true"
  - key: kube-api-qps
    value: "200"
  - key: kube-api-burst
    value: "400"
  - key: service-cluster-ip-range
    value: "${SERVICE_CIDR}"
# kwokctl's binary runtime lets kwok manage every node; the real node must be left to its kubelet.
- name: kwok-controller
  extraArgs:
  - key: manage-all-nodes
    value: "false"
  - key: manage-nodes-with-annotation-selector
    value: kwok.x-k8s.io/node=fake
`;
  mkdirSync(p.stateDir, { recursive: true });
  writeFileSync(p.kwokctlConfig, config);
}

const STORAGE_CLASS = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
  labels:
    app.kubernetes.io/part-of: sitepod-local-cluster
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
`;

/**
 * The default StorageClass `standard`: local-path-provisioner's with a real node, else the in-tree
 * host-path provisioner (its directories are root's, but kwok's pods write nothing). A class's
 * provisioner cannot change: one left by the other kind is replaced.
 */
async function ensureStorageClass(p: ClusterPaths, provisioner: string, manifest: string): Promise<void> {
  const kubectl = path.join(p.binDir, "kubectl");
  const kc = ["--kubeconfig", p.kubeconfig];
  const { stdout } = await run(kubectl, [
    ...kc,
    "get",
    "storageclass",
    "standard",
    "--ignore-not-found",
    "-o",
    "jsonpath={.provisioner}",
  ]);
  if (stdout.trim() && stdout.trim() !== provisioner) {
    await run(kubectl, [...kc, "delete", "storageclass", "standard"]);
  }
  await kubectlApply(p, manifest);
}

async function installAddons(p: ClusterPaths, say: Say): Promise<void> {
  const kubectl = path.join(p.binDir, "kubectl");
  const kc = ["--kubeconfig", p.kubeconfig];
  // cert-manager's CRDs, and the Gateway API's standard channel where it was fetched.
  const crdDirs = [p.crdDir, ...(existsSync(p.gatewayCrdDir) ? [p.gatewayCrdDir] : [])];
  const crdFiles = crdDirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => path.join(dir, f)),
  );
  await run(kubectl, [
    ...kc,
    "apply",
    "--server-side",
    "--force-conflicts",
    "--field-manager=sitepod-cluster",
    ...crdFiles.flatMap((f) => ["-f", f]),
  ]);
  const waitArgs = [
    ...kc,
    "wait",
    "--for=condition=Established",
    "--timeout=60s",
    "crd/certificates.cert-manager.io",
    "crd/issuers.cert-manager.io",
    "crd/clusterissuers.cert-manager.io",
    "crd/certificaterequests.cert-manager.io",
    "crd/orders.acme.cert-manager.io",
    "crd/challenges.acme.cert-manager.io",
    ...(existsSync(p.gatewayCrdDir)
      ? ["crd/gateways.gateway.networking.k8s.io", "crd/httproutes.gateway.networking.k8s.io"]
      : []),
  ];
  // kubectl wait fails at once (".status.conditions accessor error") on a CRD the API server has not
  // given a status yet, instead of waiting for it: seen on a fresh cluster. Retry that case, bounded.
  for (let attempt = 1; ; attempt++) {
    try {
      await run(kubectl, waitArgs);
      break;
    } catch (err) {
      if (attempt >= 30 || !(err instanceof ClusterError) || !err.message.includes("accessor error"))
        throw err;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  say("Installed the default StorageClass, the cert-manager and Gateway API CRDs.");
}

/**
 * What each simulated node offers the scheduler: room for a scale benchmark's thousands of sites
 * (`npm run bench -- --sites 5000`: a web pod and an install Job's pod each, with their requests).
 * kwokctl's default, 110 pods and 32 CPUs a node, leaves every site past the hundredth Unschedulable
 * ("Too many pods").
 */
export const KWOK_NODE_ALLOCATABLE = { pods: 10_000, cpu: 1_000, memory: "4Ti" } as const;

async function ensureKwokNodes(p: ClusterPaths, say: Say): Promise<void> {
  const kwokNodes = (await listNodes(p)).filter((n) => n.name !== NODE_NAME);
  if (kwokNodes.length < NODE_COUNT) {
    const { pods, cpu, memory } = KWOK_NODE_ALLOCATABLE;
    await run(
      path.join(p.binDir, "kwokctl"),
      [
        "scale",
        "node",
        "--name",
        CLUSTER_NAME,
        "--replicas",
        String(NODE_COUNT),
        "--param",
        `.allocatable.pods=${pods}`,
        "--param",
        `.allocatable.cpu=${cpu}`,
        "--param",
        `.allocatable.memory="${memory}"`,
      ],
      { env: kwokEnv(p) },
    );
  }
  const kubectl = path.join(p.binDir, "kubectl");
  const names = (await listNodes(p)).map((n) => n.name).filter((n) => n !== NODE_NAME);
  // Simulated nodes run nothing: only workloads that tolerate them (scale benchmarks) land there.
  await run(kubectl, [
    "--kubeconfig",
    p.kubeconfig,
    "taint",
    "nodes",
    ...names,
    `${KWOK_TAINT.key}=${KWOK_TAINT.value}:${KWOK_TAINT.effect}`,
    "--overwrite",
  ]);
  await run(kubectl, [
    "--kubeconfig",
    p.kubeconfig,
    "wait",
    "--for=condition=Ready",
    "--timeout=120s",
    ...names.map((n) => `node/${n}`),
  ]);
  say(
    `${names.length} kwok nodes Ready (tainted ${KWOK_TAINT.key}=${KWOK_TAINT.value}:${KWOK_TAINT.effect}).`,
  );
}

/** Facts about the local cluster that `npm run up` and the tests pass to Sitepod as settings. */
export interface LocalClusterFacts {
  kubeconfig: string;
  /** Whether a real node runs sites (false on machines that cannot run one: kwok only). */
  realNode: boolean;
  /**
   * The CA ClusterIssuer cert-manager issues from. Not passed to Sitepod by default (the local
   * Gateway has no HTTPS listener): SITEPOD_CLUSTER_ISSUER=<this> turns TLS on.
   */
  clusterIssuer?: string;
  /** host:port at which pods reach the machine's MariaDB. */
  siteDbHost?: string;
  /** The Gateway sites' HTTPRoutes attach to, "namespace/name". */
  gateway?: string;
  /** Where a browser on this machine reaches the gateway, e.g. http://localhost:8080. */
  gatewayUrl?: string;
  gatewayPodNamespace?: string;
  gatewayPodSelector?: string;
  runtimes: { phpVersion: string; image: string }[];
}

/**
 * The settings Sitepod needs to use the local cluster's real node: where pods reach the database,
 * the Gateway and its pods, and how browsers reach platform hostnames. Values the caller's
 * environment already sets win (they are the operator's).
 */
export function localClusterEnv(
  facts: LocalClusterFacts,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  if (!facts.realNode) return {};
  const out: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && !env[key]) out[key] = value;
  };
  put("SITEPOD_SITE_DB_HOST", facts.siteDbHost);
  put("SITEPOD_ROUTING", "gateway");
  put("SITEPOD_GATEWAY", facts.gateway);
  put("SITEPOD_GATEWAY_POD_NAMESPACE", facts.gatewayPodNamespace);
  put("SITEPOD_GATEWAY_POD_SELECTOR", facts.gatewayPodSelector);
  if (facts.gatewayUrl) {
    const url = new URL(facts.gatewayUrl);
    put("SITEPOD_SITES_BASE_DOMAIN", url.hostname);
    put("SITEPOD_SITES_BASE_URL_SCHEME", url.protocol.replace(":", ""));
    if (url.port) put("SITEPOD_SITES_BASE_URL_PORT", url.port);
  }
  return out;
}

export function localGatewayPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SITEPOD_LOCAL_GATEWAY_PORT?.trim();
  const port = raw ? Number(raw) : 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ClusterError(`SITEPOD_LOCAL_GATEWAY_PORT "${raw}" is not a TCP port (1-65535).`);
  }
  return port;
}

function factsFile(p: ClusterPaths): string {
  return path.join(p.stateDir, "cluster.json");
}

export function readClusterFacts(): LocalClusterFacts | undefined {
  const p = clusterPaths();
  try {
    return JSON.parse(readFileSync(factsFile(p), "utf8")) as LocalClusterFacts;
  } catch {
    return undefined;
  }
}

function apiserverPort(p: ClusterPaths): number {
  const text = readFileSync(p.kubeconfig, "utf8");
  const m = /server:\s*https?:\/\/127\.0\.0\.1:(\d+)/.exec(text);
  if (!m?.[1]) throw new ClusterError(`cannot find the API server's port in ${p.kubeconfig}`);
  return Number(m[1]);
}

async function kubectlApply(p: ClusterPaths, manifests: string): Promise<void> {
  await run(
    path.join(p.binDir, "kubectl"),
    [
      "--kubeconfig",
      p.kubeconfig,
      "apply",
      "--server-side",
      "--force-conflicts",
      "--field-manager=sitepod-cluster",
      "-f",
      "-",
    ],
    { input: manifests },
  );
}

/** What to read when the real node does not become Ready: its conditions and the kubelet's last lines. */
async function nodeDiagnosis(p: ClusterPaths): Promise<string> {
  const lines: string[] = [];
  try {
    const { stdout } = await run(path.join(p.binDir, "kubectl"), [
      "--kubeconfig",
      p.kubeconfig,
      "get",
      `node/${NODE_NAME}`,
      "-o",
      "jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{'\\n'}{end}",
    ]);
    lines.push(`Conditions of node/${NODE_NAME}:`, stdout.trim() || "(none reported)");
  } catch (err) {
    lines.push(`Could not read node/${NODE_NAME}: ${(err as Error).message.split("\n")[0]}`);
  }
  const kubeletLog = path.join(nodeLogsDir(p.cacheRoot), "kubelet.log");
  if (existsSync(kubeletLog)) {
    const tail = readFileSync(kubeletLog, "utf8").trimEnd().split("\n").slice(-20);
    lines.push(`Last lines of ${kubeletLog}:`, ...tail);
  }
  return lines.join("\n");
}

async function startRealNode(p: ClusterPaths, say: Say): Promise<LocalClusterFacts> {
  const versions = readVersions();
  const kubectl = path.join(p.binDir, "kubectl");
  const kc = ["--kubeconfig", p.kubeconfig];
  const images: ImageSet = await ensureImages(p.cacheRoot, p.nodeBinDir, versions, say);
  await startNode({
    binaries: { k8sBin: p.binDir, nodeBin: p.nodeBinDir, cniBin: p.cniBinDir },
    cacheRoot: p.cacheRoot,
    caDir: path.join(p.workdir, "clusters", CLUSTER_NAME, "pki"),
    apiserverPort: apiserverPort(p),
    kubectl: async (args, input) => (await run(kubectl, [...kc, ...args], { input })).stdout,
    repoRoot,
    say,
  });
  await importImages(
    path.join(p.nodeBinDir, "ctr"),
    containerdSocket(p.cacheRoot),
    path.join(p.cacheRoot, "containerd", "sitepod-imported.json"),
    images,
    say,
  );
  try {
    await run(kubectl, [...kc, "wait", "--for=condition=Ready", "--timeout=180s", `node/${NODE_NAME}`], {
      timeoutMs: 200_000,
    });
  } catch (err) {
    throw new ClusterError(`${(err as Error).message}\n${await nodeDiagnosis(p)}`);
  }
  await kubectlApply(p, coreDnsManifests(images.coredns));
  await kubectlApply(p, gatewayManifests(images.traefik));
  const helperImage = images.runtimes[0]?.image;
  if (!helperImage) throw new ClusterError("no runtime image was built: the volume helper needs one");
  const localPath = localPathManifests(images.localPath, helperImage);
  await ensureStorageClass(
    p,
    "rancher.io/local-path",
    localPath.slice(localPath.indexOf("apiVersion: storage.k8s.io/v1")),
  );
  await kubectlApply(p, localPath);
  for (const [ns, deploy] of [
    ["kube-system", "coredns"],
    [GATEWAY_NAMESPACE, "traefik"],
    [LOCAL_PATH_NAMESPACE, "local-path-provisioner"],
  ] as const) {
    await run(kubectl, [...kc, "-n", ns, "rollout", "status", `deployment/${deploy}`, "--timeout=180s"], {
      timeoutMs: 200_000,
    });
  }
  const port = localGatewayPort();
  startGatewayForwarder(p.cacheRoot, port);
  say(`Real node Ready; sites are served at http://<site>-<account>.localhost:${port}/.`);
  return {
    kubeconfig: p.kubeconfig,
    realNode: true,
    siteDbHost: `${NODE_IP}:3306`,
    gateway: `${GATEWAY_NAMESPACE}/${GATEWAY_NAME}`,
    gatewayUrl: `http://localhost:${port}`,
    gatewayPodNamespace: GATEWAY_NAMESPACE,
    gatewayPodSelector: `${GATEWAY_POD_LABEL.key}=${GATEWAY_POD_LABEL.value}`,
    runtimes: images.runtimes.map((r) => ({ phpVersion: r.phpVersion, image: r.image })),
  };
}

/**
 * cert-manager's controller against this cluster, Pebble, and the two ClusterIssuers (the local CA
 * and an ACME account with Pebble; the CA and Pebble's certificate are made once into the state
 * directory). Waits until both issuers are Ready, which needs the controller running, the CA
 * verified and the account registered with Pebble. Idempotent: running processes are kept.
 */
export async function startCertManager(p: ClusterPaths, say: Say = quiet): Promise<void> {
  const layout = certManagerLayout(p.stateDir);
  if (ensureLocalCa(layout)) say(`Made the local cluster's CA: ${layout.caCert}`);
  ensurePebbleCertificate(layout);
  const caPem = readFileSync(layout.caCert, "utf8");

  if (runningProcess(layout.pebble, p.pebbleBin) === undefined || !existsSync(layout.pebble.config)) {
    const config = pebbleConfig({
      port: await freeLoopbackPort(),
      cert: layout.pebble.cert,
      key: layout.pebble.key,
    });
    await stopProcess(layout.pebble, p.pebbleBin);
    writeFileSync(layout.pebble.config, `${JSON.stringify(config, null, 2)}\n`);
  }
  const pebble = pebbleCommand(layout.pebble.config);
  startProcess(layout.pebble, p.pebbleBin, pebble.args, pebble.env);

  await kubectlApply(
    p,
    `${localIssuerManifests(caPem, readFileSync(layout.caKey, "utf8"))}---\n${acmeIssuerManifest(pebbleDirectory(layout.pebble.config), caPem)}`,
  );
  const { pid, started } = startProcess(
    layout.controller,
    p.certManagerBin,
    controllerArgs({ kubeconfig: p.kubeconfig, gatewayApi: existsSync(p.gatewayCrdDir) }),
  );
  const kubectl = path.join(p.binDir, "kubectl");
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { stdout } = await run(kubectl, [
      "--kubeconfig",
      p.kubeconfig,
      "get",
      "clusterissuers",
      "-o",
      "json",
    ]);
    const waiting = issuersNotReady(JSON.parse(stdout), [LOCAL_CLUSTER_ISSUER, LOCAL_ACME_ISSUER]);
    if (waiting.length === 0) break;
    if (Date.now() > deadline) {
      throw new ClusterError(
        `cert-manager (pid ${pid}) did not make the ClusterIssuers Ready in 90s (${waiting.join("; ")})\n--- last lines of ${layout.controller.logFile} ---\n${logTail(layout.controller)}\n--- last lines of ${layout.pebble.logFile} ---\n${logTail(layout.pebble)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  say(
    `cert-manager ${started ? "started" : "running"} (pid ${pid}): ClusterIssuers ${LOCAL_CLUSTER_ISSUER} (CA ${layout.caCert}) and ${LOCAL_ACME_ISSUER} (Pebble at ${pebbleDirectory(layout.pebble.config)}).`,
  );
}

/** Stops cert-manager's controller and Pebble (the CA keypair stays in the state directory). */
export async function stopCertManager(p: ClusterPaths, say: Say = quiet): Promise<void> {
  const layout = certManagerLayout(p.stateDir);
  const controller = await stopProcess(layout.controller, p.certManagerBin);
  const pebble = await stopProcess(layout.pebble, p.pebbleBin);
  // Its port is chosen afresh at the next start.
  rmSync(layout.pebble.config, { force: true });
  if (controller || pebble) say("cert-manager and Pebble stopped.");
}

/** Starts the local cluster, or does nothing but report when it already runs. */
export async function upCluster(say: Say = quiet): Promise<{ kubeconfig: string; started: boolean }> {
  await ensureBinaries(say);
  const p = clusterPaths();
  const before = await clusterStatus();
  let started = false;
  if (!before.running) {
    // A controller left from a cluster that no longer runs holds its old kubeconfig: start afresh.
    await stopCertManager(p, say);
    const kwokctl = path.join(p.binDir, "kwokctl");
    if (before.exists) {
      say("Starting the existing local cluster...");
      try {
        await run(kwokctl, ["start", "cluster", "--name", CLUSTER_NAME, "--wait", "2m"], { env: kwokEnv(p) });
      } catch (err) {
        say(`Could not restart it (${(err as Error).message.split("\n")[0]}); recreating.`);
        await deleteCluster(p);
      }
    }
    if (!(await serverVersion(p))) {
      say("Creating the local cluster...");
      writeKwokctlConfig(p);
      rmSync(p.kubeconfig, { force: true });
      await run(
        kwokctl,
        [
          "create",
          "cluster",
          "--name",
          CLUSTER_NAME,
          "--config",
          p.kwokctlConfig,
          "--kubeconfig",
          p.kubeconfig,
          "--wait",
          "2m",
        ],
        { env: kwokEnv(p), timeoutMs: 180_000 },
      );
    }
    started = true;
  }
  await ensureKwokNodes(p, say);
  await installAddons(p, say);
  await startCertManager(p, say);
  const skipped = realNodeSkippedHere();
  // SITEPOD_REAL_NODE=no governs starting a node, not stopping one that serves sites already.
  const running = skipped && !started ? readClusterFacts() : undefined;
  let facts: LocalClusterFacts;
  if (running?.realNode) {
    say(`The real node is running and stays (${skipped}: that applies when the cluster is next created).`);
    facts = running;
  } else if (skipped) {
    await ensureStorageClass(p, "kubernetes.io/host-path", STORAGE_CLASS);
    say(`No real node: ${skipped}. Sites get simulated pods only (point KUBECONFIG at a real cluster).`);
    facts = { kubeconfig: p.kubeconfig, realNode: false, runtimes: [] };
  } else {
    facts = await startRealNode(p, say);
  }
  facts.clusterIssuer = LOCAL_CLUSTER_ISSUER;
  writeFileSync(factsFile(p), `${JSON.stringify(facts, null, 2)}\n`);
  return { kubeconfig: p.kubeconfig, started };
}

function clusterPids(p: ClusterPaths): number[] {
  const pidDir = path.join(p.workdir, "clusters", CLUSTER_NAME, "pids");
  if (!existsSync(pidDir)) return [];
  return readdirSync(pidDir)
    .map((f) => Number.parseInt(readFileSync(path.join(pidDir, f), "utf8").trim(), 10))
    .filter((n) => Number.isInteger(n) && n > 0);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function deleteCluster(p: ClusterPaths): Promise<void> {
  const pids = clusterPids(p);
  if (binariesPresent(p) && existsSync(path.join(p.workdir, "clusters", CLUSTER_NAME))) {
    await run(path.join(p.binDir, "kwokctl"), ["delete", "cluster", "--name", CLUSTER_NAME], {
      env: kwokEnv(p),
    }).catch(() => undefined);
  }
  // kwokctl stops its processes by pid file; make sure none is left behind.
  for (const pid of pids) {
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  rmSync(path.join(p.workdir, "clusters", CLUSTER_NAME), { recursive: true, force: true });
  rmSync(p.kubeconfig, { force: true });
}

/**
 * For fault tests: stops the control plane's kube-apiserver alone (SIGTERM, SIGKILL after 30 s),
 * as an outage would; everything else keeps running. startApiServer brings it back.
 */
export async function stopApiServer(): Promise<void> {
  const p = clusterPaths();
  const pidFile = path.join(p.workdir, "clusters", CLUSTER_NAME, "pids", "kube-apiserver.pid");
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid))
    throw new Error("the local kube-apiserver does not run");
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts whichever of the control plane's components is not running (kwokctl starts only those: the
 * kube-apiserver after stopApiServer, and the controller manager or scheduler if they gave up
 * their lease meanwhile), and waits until the API server serves again.
 */
export async function startApiServer(): Promise<void> {
  const p = clusterPaths();
  await run(path.join(p.binDir, "kwokctl"), ["start", "cluster", "--name", CLUSTER_NAME, "--wait", "2m"], {
    env: kwokEnv(p),
  });
  const deadline = Date.now() + 120_000;
  while (!(await serverVersion(p))) {
    if (Date.now() > deadline) throw new Error("the local kube-apiserver did not come back within 2 minutes");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What a real node killed without `cluster:down` left on the machine, cleared (see node.ts). */
export async function clearLeftovers(say: Say = quiet): Promise<void> {
  const p = clusterPaths();
  await clearLeftoverNode(p.cacheRoot, existsSync(p.nodeBinDir) ? p.nodeBinDir : undefined, say);
}

/** Stops every process of the local cluster, puts the machine back as it was, removes its state. */
export async function downCluster(say: Say = quiet): Promise<void> {
  const p = clusterPaths();
  // First, so that it does not log the API server going away.
  await stopCertManager(p, say);
  await stopNode(p.cacheRoot, existsSync(p.nodeBinDir) ? p.nodeBinDir : undefined, say, repoRoot);
  await deleteCluster(p);
  rmSync(factsFile(p), { force: true });
  say("Local cluster stopped and removed.");
}

/**
 * For test harnesses: reuse the local cluster when it runs, otherwise start it.
 * `startedByUs` tells the caller whether it should stop it afterwards.
 */
export async function ensureCluster(say: Say = quiet): Promise<{ kubeconfig: string; startedByUs: boolean }> {
  const { kubeconfig, started } = await upCluster(say);
  return { kubeconfig, startedByUs: started };
}

export const stopCluster = downCluster;
