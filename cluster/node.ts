/**
 * The local cluster's real node: containerd + runc, the CNI bridge, the kubelet, kube-proxy and
 * kube-router's NetworkPolicy controller run as processes on this machine (Linux, root), next to
 * the kwok control plane. Site pods run here for real; the kwok nodes stay for scale benchmarks,
 * tainted so that only workloads that tolerate them land there.
 *
 * Everything the node changes on the machine is saved first (host-state.ts) and put back by
 * stopNode(). Node built-ins only.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import {
  captureHostState,
  type HostState,
  kubepodsPids,
  restoreHostState,
  unmountAll,
  writeSysctl,
} from "./host-state";

export const NODE_NAME = "sitepod-node";
/** The node's pod network; the bridge takes the first address and is the node's InternalIP. */
export const POD_SUBNET = "10.244.0.0/24";
export const NODE_IP = "10.244.0.1";
export const BRIDGE = "sitepod0";
export const SERVICE_CIDR = "10.96.0.0/16";
export const KUBERNETES_SERVICE_IP = "10.96.0.1";
export const DNS_SERVICE_IP = "10.96.0.10";
export const GATEWAY_SERVICE_IP = "10.96.0.80";
/** Label every workload that must run on the real node selects. */
export const REAL_NODE_LABEL = { key: "sitepod.io/node", value: "real" } as const;
/** The taint kwok nodes carry (kwok's own convention), so only tolerating pods land there. */
export const KWOK_TAINT = { key: "kwok.x-k8s.io/node", value: "fake", effect: "NoSchedule" } as const;

/** Machine-wide: one real node per machine, whichever checkout started it. */
export const NODE_RUN_DIR = "/run/sitepod-node";

export interface NodeBinaries {
  k8sBin: string;
  nodeBin: string;
  cniBin: string;
}

export interface NodeLayout {
  run: string;
  pids: string;
  logs: string;
  containerdRoot: string;
  containerdState: string;
  containerdSock: string;
  kubeletRoot: string;
  cniConf: string;
  cniData: string;
  pki: string;
  hostState: string;
  nftSnapshot: string;
  owner: string;
}

export function nodeLayout(cacheRoot: string): NodeLayout {
  const run = NODE_RUN_DIR;
  return {
    run,
    pids: path.join(run, "pids"),
    logs: path.join(run, "logs"),
    // Kept in the cache: imported images survive `down`/`up` like the binaries.
    containerdRoot: path.join(cacheRoot, "containerd"),
    containerdState: path.join(run, "containerd"),
    containerdSock: path.join(run, "containerd.sock"),
    kubeletRoot: path.join(run, "kubelet"),
    cniConf: path.join(run, "cni", "net.d"),
    cniData: path.join(run, "cni", "data"),
    pki: path.join(run, "pki"),
    hostState: path.join(run, "host-state.json"),
    nftSnapshot: path.join(run, "nft-ruleset.nft"),
    owner: path.join(run, "owner"),
  };
}

export class NodeError extends Error {
  override name = "NodeError";
}

/** Why this machine cannot run the real node, or undefined when it can. */
export function realNodeUnsupported(): string | undefined {
  if (process.platform !== "linux") return "the real node needs Linux";
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "the real node needs root";
  for (const tool of ["runc", "iptables", "ipset", "nft", "ip", "socat", "openssl"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
      return `the real node needs ${tool} (Debian: apt-get install runc iptables ipset nftables iproute2 socat openssl)`;
    }
  }
  return undefined;
}

/**
 * Why `cluster:up` starts no real node, or undefined when it starts one: `SITEPOD_REAL_NODE=no`
 * (the control plane and kwok's simulated nodes only, the machine's firewall, routes and kernel
 * settings left alone: for benchmarks at thousands of sites, whose kube-proxy work on the node would
 * be load they do not measure), or a machine that cannot run one.
 */
export function realNodeSkipped(
  env: Record<string, string | undefined> = process.env,
  unsupported: () => string | undefined = realNodeUnsupported,
): string | undefined {
  const setting = env.SITEPOD_REAL_NODE?.trim().toLowerCase() || "yes";
  if (setting === "no") return "turned off by SITEPOD_REAL_NODE=no";
  if (setting !== "yes") {
    throw new NodeError(
      `SITEPOD_REAL_NODE must be "yes" (the default) or "no", not "${env.SITEPOD_REAL_NODE}"`,
    );
  }
  return unsupported();
}

function sh(bin: string, args: string[], input?: string): string {
  try {
    return execFileSync(bin, args, {
      encoding: "utf8",
      input,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new NodeError(`${bin} ${args.join(" ")} failed: ${(e.stderr || e.message).trim()}`);
  }
}

function pidFile(l: NodeLayout, name: string): string {
  return path.join(l.pids, `${name}.pid`);
}

/**
 * The pid the node recorded for `name`, when that process still runs. A pid file can outlive its
 * process (a killed session, a reboot) and the number be reused by something else: the pid counts
 * only while its program is still the one started under that name.
 */
function readPid(l: NodeLayout, name: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile(l, name), "utf8").trim(), 10);
  } catch {
    return undefined;
  }
  if (!(pid > 0)) return undefined;
  const program = name.startsWith("forward-") ? "socat" : name;
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    return path.basename(argv0) === program ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number | undefined): pid is number {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a long-running process detached from us, its output in logs/<name>.log. Idempotent. */
function startProcess(
  l: NodeLayout,
  name: string,
  bin: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): number {
  const existing = readPid(l, name);
  if (alive(existing)) return existing;
  const log = openSync(path.join(l.logs, `${name}.log`), "a");
  const child = spawn(bin, args, {
    detached: true,
    stdio: ["ignore", log, log],
    env: env ?? process.env,
  });
  if (child.pid === undefined) throw new NodeError(`could not start ${name} (${bin})`);
  child.unref();
  writeFileSync(pidFile(l, name), `${child.pid}\n`);
  return child.pid;
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  l?: NodeLayout,
  logName?: string,
) {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 2_000);
  }
  const tail =
    l && logName && existsSync(path.join(l.logs, `${logName}.log`))
      ? `\n--- last lines of ${path.join(l.logs, `${logName}.log`)} ---\n${readFileSync(
          path.join(l.logs, `${logName}.log`),
          "utf8",
        )
          .split("\n")
          .slice(-15)
          .join("\n")}`
      : "";
  throw new NodeError(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${tail}`);
}

function ensureBridge(): void {
  try {
    execFileSync("ip", ["link", "show", BRIDGE], { stdio: "ignore" });
  } catch {
    sh("ip", ["link", "add", BRIDGE, "type", "bridge"]);
  }
  const addrs = sh("ip", ["-o", "-4", "addr", "show", "dev", BRIDGE]);
  if (!addrs.includes(`${NODE_IP}/24`)) sh("ip", ["addr", "add", `${NODE_IP}/24`, "dev", BRIDGE]);
  sh("ip", ["link", "set", BRIDGE, "up"]);
}

function writeCniConfig(l: NodeLayout): void {
  mkdirSync(l.cniConf, { recursive: true });
  const conf = {
    cniVersion: "1.0.0",
    name: "sitepod",
    plugins: [
      {
        type: "bridge",
        bridge: BRIDGE,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: "host-local",
          ranges: [[{ subnet: POD_SUBNET, gateway: NODE_IP }]],
          routes: [{ dst: "0.0.0.0/0" }],
          dataDir: l.cniData,
        },
      },
      { type: "portmap", capabilities: { portMappings: true } },
    ],
  };
  writeFileSync(path.join(l.cniConf, "10-sitepod.conflist"), `${JSON.stringify(conf, null, 2)}\n`);
}

export const PAUSE_IMAGE = "sitepod.local/pause:1";

function writeContainerdConfig(l: NodeLayout, b: NodeBinaries): string {
  const file = path.join(l.run, "containerd.toml");
  writeFileSync(
    file,
    `version = 3
root = "${l.containerdRoot}"
state = "${l.containerdState}"

[grpc]
  address = "${l.containerdSock}"

[plugins.'io.containerd.cri.v1.runtime']
  # This machine's root lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj otherwise.
  restrict_oom_score_adj = true
  enable_unprivileged_ports = true
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["${b.cniBin}"]
    conf_dir = "${l.cniConf}"
  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
      BinaryName = "runc"
      SystemdCgroup = false

[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "${PAUSE_IMAGE}"
`,
  );
  return file;
}

/** A client certificate for the kubelet (system:node:<name>) and a serving one for its API. */
function issueNodeCertificates(l: NodeLayout, caDir: string): void {
  mkdirSync(l.pki, { recursive: true });
  const ca = path.join(caDir, "ca.crt");
  const caKey = path.join(caDir, "ca.key");
  const issue = (name: string, subject: string, ext: string) => {
    const key = path.join(l.pki, `${name}.key`);
    const csr = path.join(l.pki, `${name}.csr`);
    const crt = path.join(l.pki, `${name}.crt`);
    const extFile = path.join(l.pki, `${name}.ext`);
    writeFileSync(extFile, ext);
    sh("openssl", [
      "req",
      "-new",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      csr,
      "-subj",
      subject,
    ]);
    sh("openssl", [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      ca,
      "-CAkey",
      caKey,
      "-CAcreateserial",
      "-out",
      crt,
      "-days",
      "365",
      "-extfile",
      extFile,
    ]);
    chmodSync(key, 0o600);
  };
  issue(
    "kubelet-client",
    `/O=system:nodes/CN=system:node:${NODE_NAME}`,
    "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
  );
  issue(
    "kubelet-serving",
    `/O=system:nodes/CN=system:node:${NODE_NAME}`,
    `keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:${NODE_IP},DNS:${NODE_NAME}\n`,
  );
}

function writeKubeconfig(
  file: string,
  server: string,
  caFile: string,
  cert: string,
  key: string,
  user: string,
) {
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: sitepod
  cluster:
    server: ${server}
    certificate-authority: ${caFile}
users:
- name: ${user}
  user:
    client-certificate: ${cert}
    client-key: ${key}
contexts:
- name: sitepod
  context: {cluster: sitepod, user: ${user}}
current-context: sitepod
`,
  );
  chmodSync(file, 0o600);
}

function writeKubeletConfig(l: NodeLayout, caFile: string): string {
  const file = path.join(l.run, "kubelet.yaml");
  writeFileSync(
    file,
    `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${NODE_IP}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${caFile}}
authorization: {mode: Webhook}
tlsCertFile: ${path.join(l.pki, "kubelet-serving.crt")}
tlsPrivateKeyFile: ${path.join(l.pki, "kubelet-serving.key")}
# This machine's cgroups are v1 (hybrid).
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://${l.containerdSock}
clusterDNS: [${DNS_SERVICE_IP}]
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
maxPods: 60
serializeImagePulls: false
# Images are imported locally and cannot be pulled back: never garbage-collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: "100Mi"
  nodefs.available: "1%"
  imagefs.available: "1%"
  nodefs.inodesFree: "1%"
protectKernelDefaults: false
rotateCertificates: false
serverTLSBootstrap: false
shutdownGracePeriod: 0s
`,
  );
  return file;
}

function writeKubeProxyConfig(l: NodeLayout, kubeconfig: string): string {
  const file = path.join(l.run, "kube-proxy.yaml");
  writeFileSync(
    file,
    `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: ${kubeconfig}}
hostnameOverride: ${NODE_NAME}
clusterCIDR: ${POD_SUBNET}
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["${NODE_IP}/32"]
iptables:
  # Otherwise kube-proxy turns on route_localnet for NodePorts on 127.0.0.1.
  localhostNodePorts: false
  masqueradeAll: false
conntrack:
  # Leave the machine's conntrack settings alone.
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
`,
  );
  return file;
}

export interface NodeStartOptions {
  binaries: NodeBinaries;
  cacheRoot: string;
  /** The kwok cluster's pki directory (ca.crt, ca.key, admin.crt, admin.key). */
  caDir: string;
  /** The API server's secure port on 127.0.0.1. */
  apiserverPort: number;
  /** Runs kubectl with the admin kubeconfig. */
  kubectl: (args: string[], input?: string) => Promise<string>;
  repoRoot: string;
  say: (line: string) => void;
}

function ownerCheck(l: NodeLayout, repoRoot: string): void {
  if (!existsSync(l.owner)) return;
  const owner = readFileSync(l.owner, "utf8").trim();
  if (owner !== repoRoot && alive(readPid(l, "kubelet"))) {
    throw new NodeError(
      `the real node already runs for the local cluster of ${owner}; stop it there first (npm run cluster:down)`,
    );
  }
}

const DEAD_NODE = "left by a run that ended without `cluster:down`";

/** Nothing in the node directory (an `up`'s lock aside), a node whose processes run, or one whose are gone. */
function nodeState(l: NodeLayout): "absent" | "running" | "dead" {
  if (!existsSync(l.run) || readdirSync(l.run).every((e) => e === "up.lock")) return "absent";
  return alive(readPid(l, "kubelet")) || alive(readPid(l, "containerd")) ? "running" : "dead";
}

/**
 * Why what the node directory holds cannot be carried on, or undefined when it can (nothing there,
 * or a node running for the cluster that runs now):
 * - its processes are gone but not what they made (mounts, the bridge, veths, cgroups, changed
 *   sysctls): a run that ended without `cluster:down`, such as a killed session or a crash;
 * - its certificates were issued by another cluster's CA (the control plane was recreated since),
 *   so the kubelet could never authenticate and the node would never become Ready.
 */
export function leftoverReason(l: NodeLayout, caFile: string): string | undefined {
  const state = nodeState(l);
  if (state === "absent") return undefined;
  if (state === "dead") return DEAD_NODE;
  const clientCert = path.join(l.pki, "kubelet-client.crt");
  if (existsSync(clientCert) && !signedBy(clientCert, caFile))
    return "that was started for an earlier local cluster (its certificates are that cluster's)";
  return undefined;
}

function signedBy(cert: string, caFile: string): boolean {
  try {
    execFileSync("openssl", ["verify", "-CAfile", caFile, cert], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Saves what the node will change, once: a second `up` must not save the changed values. */
function saveHostState(l: NodeLayout): void {
  if (existsSync(l.hostState)) return;
  const state = captureHostState();
  writeFileSync(l.nftSnapshot, sh("nft", ["list", "ruleset"]));
  writeFileSync(l.hostState, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * One `up` at a time on this machine: two at once (the test suites' setups, `npm run up`) would
 * each find a daemon missing and start it twice. A directory is the lock; a dead holder's is taken over.
 */
async function withNodeLock<T>(l: NodeLayout, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(l.run, "up.lock");
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, "pid"), `${process.pid}\n`);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let holder: number | undefined;
      try {
        holder = Number.parseInt(readFileSync(path.join(lock, "pid"), "utf8"), 10);
      } catch {
        holder = undefined;
      }
      if (holder !== undefined && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new NodeError(`another cluster:up holds ${lock} (pid ${holder})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Starts (or finds running) containerd, the kubelet, kube-proxy, kube-router and the forwarders. */
export async function startNode(o: NodeStartOptions): Promise<void> {
  const l = nodeLayout(o.cacheRoot);
  mkdirSync(l.run, { recursive: true, mode: 0o700 });
  await withNodeLock(l, () => startNodeLocked(o, l));
}

async function startNodeLocked(o: NodeStartOptions, l: NodeLayout): Promise<void> {
  const unsupported = realNodeUnsupported();
  if (unsupported) throw new NodeError(unsupported);
  mkdirSync(l.run, { recursive: true, mode: 0o700 });
  ownerCheck(l, o.repoRoot);
  const leftover = leftoverReason(l, path.join(o.caDir, "ca.crt"));
  if (leftover) {
    o.say(`Clearing the real node ${leftover} before starting it afresh.`);
    await stopNode(o.cacheRoot, o.binaries.nodeBin, o.say);
  }
  for (const dir of [l.pids, l.logs, l.containerdRoot, l.containerdState, l.kubeletRoot, l.cniData]) {
    mkdirSync(dir, { recursive: true });
  }
  saveHostState(l);
  writeFileSync(l.owner, `${o.repoRoot}\n`);

  // Kernel settings the node needs; the kubelet refuses to start unless these hold.
  writeSysctl("net/ipv4/ip_forward", "1");
  if (existsSync("/proc/sys/net/bridge/bridge-nf-call-iptables")) {
    // Pod -> Service -> pod on the same bridge needs kube-proxy's rules to see bridged packets.
    writeSysctl("net/bridge/bridge-nf-call-iptables", "1");
  }
  if (existsSync("/proc/sys/net/ipv6/conf/default/disable_ipv6")) {
    // The pod network is IPv4 only. Without this, every pod's host-side veth (and the bridge) gets
    // an IPv6 link-local address as it comes up; Chromium takes each new address as a network
    // change and aborts its requests in flight with net::ERR_NETWORK_CHANGED, even to 127.0.0.1.
    // Interfaces that exist already keep their setting; `cluster:down` puts the default back.
    writeSysctl("net/ipv6/conf/default/disable_ipv6", "1");
  }
  ensureBridge();
  writeCniConfig(l);

  const b = o.binaries;
  const pathEnv = `${b.nodeBin}:${b.k8sBin}:${process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin"}`;
  const env = { ...process.env, PATH: pathEnv };

  const containerdConfig = writeContainerdConfig(l, b);
  startProcess(l, "containerd", path.join(b.nodeBin, "containerd"), ["--config", containerdConfig], env);
  await waitFor(
    "containerd",
    () => {
      try {
        execFileSync(path.join(b.nodeBin, "ctr"), ["--address", l.containerdSock, "version"], {
          stdio: "ignore",
        });
        return true;
      } catch {
        return false;
      }
    },
    30_000,
    l,
    "containerd",
  );

  const caFile = path.join(o.caDir, "ca.crt");
  if (!existsSync(path.join(l.pki, "kubelet-client.crt"))) issueNodeCertificates(l, o.caDir);
  const server = `https://127.0.0.1:${o.apiserverPort}`;
  const kubeletKubeconfig = path.join(l.run, "kubelet.kubeconfig");
  writeKubeconfig(
    kubeletKubeconfig,
    server,
    caFile,
    path.join(l.pki, "kubelet-client.crt"),
    path.join(l.pki, "kubelet-client.key"),
    `system:node:${NODE_NAME}`,
  );
  const adminKubeconfig = path.join(l.run, "admin.kubeconfig");
  writeKubeconfig(
    adminKubeconfig,
    server,
    caFile,
    path.join(o.caDir, "admin.crt"),
    path.join(o.caDir, "admin.key"),
    "sitepod-node-admin",
  );

  // The node's pod range is fixed (the CNI config above): register the Node with it before the
  // kubelet does, so nothing else has to allocate CIDRs.
  await o.kubectl(
    ["apply", "--server-side", "--field-manager=sitepod-cluster", "-f", "-"],
    `apiVersion: v1
kind: Node
metadata:
  name: ${NODE_NAME}
  labels:
    ${REAL_NODE_LABEL.key}: ${REAL_NODE_LABEL.value}
spec:
  podCIDR: ${POD_SUBNET}
  podCIDRs: ["${POD_SUBNET}"]
`,
  );

  // Pods reach the API server through the kubernetes Service, whose endpoint is NODE_IP (the
  // API server's --advertise-address); the API server itself listens on loopback only.
  startProcess(l, "forward-apiserver", "socat", [
    `TCP-LISTEN:${o.apiserverPort},bind=${NODE_IP},reuseaddr,fork`,
    `TCP:127.0.0.1:${o.apiserverPort}`,
  ]);
  // Sites reach the machine's MariaDB (127.0.0.1 only) at NODE_IP:3306.
  startProcess(l, "forward-mariadb", "socat", [
    `TCP-LISTEN:3306,bind=${NODE_IP},reuseaddr,fork`,
    "TCP:127.0.0.1:3306",
  ]);

  startProcess(
    l,
    "kubelet",
    path.join(b.k8sBin, "kubelet"),
    [
      `--config=${writeKubeletConfig(l, caFile)}`,
      `--kubeconfig=${kubeletKubeconfig}`,
      `--root-dir=${l.kubeletRoot}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`,
      `--node-labels=${REAL_NODE_LABEL.key}=${REAL_NODE_LABEL.value}`,
      "--v=1",
    ],
    env,
  );
  startProcess(
    l,
    "kube-proxy",
    path.join(b.k8sBin, "kube-proxy"),
    [`--config=${writeKubeProxyConfig(l, adminKubeconfig)}`, "--v=1"],
    env,
  );
  startProcess(
    l,
    "kube-router",
    path.join(b.nodeBin, "kube-router"),
    [
      `--kubeconfig=${adminKubeconfig}`,
      `--hostname-override=${NODE_NAME}`,
      "--run-firewall=true",
      "--run-router=false",
      "--run-service-proxy=false",
      "--enable-cni=false",
      "--enable-ipv6=false",
      "--health-port=0",
      "--metrics-port=0",
      "--v=1",
    ],
    env,
  );
  o.say("Started the real node (containerd, kubelet, kube-proxy, kube-router).");
}

export function nodeLogsDir(cacheRoot: string): string {
  return nodeLayout(cacheRoot).logs;
}

function killAndWait(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone.
    }
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pids.some((p) => alive(p))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Pids of processes whose executable lives in `dir` (containerd's shims outlive containerd). */
function processesFrom(dir: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number.parseInt(entry, 10);
    if (!(pid > 0)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/exe`).startsWith(`${dir}/`)) out.push(pid);
    } catch {
      // Exited, or a kernel thread.
    }
  }
  return out;
}

/** Stops every process the node started and puts the machine back as it was. Idempotent. */
export async function stopNode(
  cacheRoot: string,
  nodeBin: string | undefined,
  say: (line: string) => void,
  repoRoot?: string,
) {
  const l = nodeLayout(cacheRoot);
  if (!existsSync(l.run)) return;
  // The node is the machine's: another checkout's `down` must not stop the cluster it does not own.
  const owner = existsSync(l.owner) ? readFileSync(l.owner, "utf8").trim() : undefined;
  if (repoRoot && owner && owner !== repoRoot && alive(readPid(l, "kubelet"))) {
    say(`The real node belongs to the local cluster of ${owner}; left running.`);
    return;
  }
  const names = [
    "kube-router",
    "kube-proxy",
    "kubelet",
    "forward-apiserver",
    "forward-mariadb",
    "forward-gateway",
  ];
  const pids = names.map((n) => readPid(l, n)).filter(alive);
  killAndWait(pids, "SIGTERM");
  if (!(await waitGone(pids, 10_000))) killAndWait(pids, "SIGKILL");
  // Containers: everything in the kubepods cgroups, then the shims, then containerd.
  const containerPids = kubepodsPids();
  killAndWait(containerPids, "SIGKILL");
  await waitGone(containerPids, 10_000);
  const shims = nodeBin ? processesFrom(nodeBin).filter((p) => p !== readPid(l, "containerd")) : [];
  killAndWait(shims, "SIGKILL");
  await waitGone(shims, 10_000);
  const containerd = readPid(l, "containerd");
  if (alive(containerd)) {
    killAndWait([containerd], "SIGTERM");
    if (!(await waitGone([containerd], 10_000))) killAndWait([containerd], "SIGKILL");
  }
  unmountAll([l.run, l.containerdRoot, l.kubeletRoot, "/run/netns", "/var/run/netns"]);
  try {
    execFileSync("ip", ["link", "del", BRIDGE], { stdio: "ignore" });
  } catch {
    // No bridge.
  }
  // veth peers die with their namespaces; any left over from a killed CNI call go here.
  const veths = sh("ip", ["-o", "link", "show", "type", "veth"])
    .split("\n")
    .map((line) => /^\d+:\s+([^@:]+)/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name?.startsWith("veth")));
  for (const veth of veths) {
    try {
      // `ip` warns on stderr about a veth whose peer namespace is gone; the answer is still right.
      const master = execFileSync("ip", ["-o", "link", "show", veth], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      if (master.includes(`master ${BRIDGE}`)) execFileSync("ip", ["link", "del", veth], { stdio: "ignore" });
    } catch {
      // Gone.
    }
  }
  if (existsSync(l.hostState)) {
    const saved = JSON.parse(readFileSync(l.hostState, "utf8")) as HostState;
    const nft = existsSync(l.nftSnapshot) ? readFileSync(l.nftSnapshot, "utf8") : undefined;
    for (const note of restoreHostState(saved, nft)) say(`warning: ${note}`);
  }
  // The lock of an `up` that clears a leftover node stays: that `up` holds it.
  for (const entry of readdirSync(l.run)) {
    if (entry !== "up.lock") rmSync(path.join(l.run, entry), { recursive: true, force: true });
  }
  if (readdirSync(l.run).length === 0) rmSync(l.run, { recursive: true, force: true });
  say("Real node stopped; the machine's settings are restored.");
}

/**
 * Clears what a real node left when its processes are gone (a run that ended without
 * `cluster:down`): before a snapshot of the machine is taken, so that the snapshot is the machine's
 * own state. A running node is left alone, whichever checkout it belongs to.
 */
export async function clearLeftoverNode(
  cacheRoot: string,
  nodeBin: string | undefined,
  say: (line: string) => void,
): Promise<void> {
  const l = nodeLayout(cacheRoot);
  if (nodeState(l) !== "dead") return;
  say(`Clearing the real node ${DEAD_NODE}.`);
  await stopNode(cacheRoot, nodeBin, say);
}

export function nodeIsRunning(cacheRoot: string): boolean {
  const l = nodeLayout(cacheRoot);
  return alive(readPid(l, "kubelet")) && alive(readPid(l, "containerd"));
}

export function startGatewayForwarder(cacheRoot: string, port: number): void {
  const l = nodeLayout(cacheRoot);
  startProcess(l, "forward-gateway", "socat", [
    `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`,
    `TCP:${GATEWAY_SERVICE_IP}:80`,
  ]);
}

export function containerdSocket(cacheRoot: string): string {
  return nodeLayout(cacheRoot).containerdSock;
}
