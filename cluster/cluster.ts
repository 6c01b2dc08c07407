/**
 * The local Kubernetes control plane for development and tests: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok (simulated nodes), run as local processes
 * by kwokctl's binary runtime on 127.0.0.1, from binaries built by cluster/build.sh.
 *
 * Node built-ins only (plus the cached kubectl/kwokctl binaries), so that scripts, test global
 * setups and `npm run up` can all use it before anything else is installed or built.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

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
  return {
    repoRoot,
    stateDir,
    workdir: path.join(stateDir, "kwok"),
    kubeconfig: path.join(stateDir, "kubeconfig"),
    kwokctlConfig: path.join(stateDir, "kwokctl.yaml"),
    cacheRoot,
    binDir: path.join(cacheRoot, `k8s-${v.KUBERNETES_VERSION}-kwok-${v.KWOK_VERSION}`, "bin"),
    crdDir: path.join(cacheRoot, `cert-manager-${v.CERT_MANAGER_VERSION}`, "crds"),
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

/** Builds the binaries and fetches the CRDs when missing (first run only). Returns the bin dir. */
export async function ensureBinaries(say: Say = quiet): Promise<string> {
  const p = clusterPaths();
  if (binariesPresent(p) && existsSync(path.join(p.crdDir, "cert-manager.io_certificates.yaml"))) {
    return p.binDir;
  }
  say(`Building the local control plane into ${p.binDir} (first run only)...`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn("bash", [path.join(repoRoot, "cluster", "build.sh")], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, SITEPOD_CACHE_DIR: p.cacheRoot },
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else if (code === 3)
        reject(new ClusterError("Go is required to build the local cluster (see above).", 3));
      else reject(new ClusterError(`cluster/build.sh failed with exit code ${code}`));
    });
  });
  say(`Built in ${Math.round((Date.now() - started) / 1000)}s.`);
  return p.binDir;
}

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

function writeKwokctlConfig(p: ClusterPaths): void {
  const v = readVersions();
  const b = (name: string) => path.join(p.binDir, name);
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
componentsPatches:
# No storage driver runs here: the in-tree host-path provisioner (test-only) binds PVCs.
- name: kube-controller-manager
  extraArgs:
  - key: enable-hostpath-provisioner
    value: "true"
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

async function installAddons(p: ClusterPaths, say: Say): Promise<void> {
  const kubectl = path.join(p.binDir, "kubectl");
  const kc = ["--kubeconfig", p.kubeconfig];
  await run(kubectl, [...kc, "apply", "--server-side", "--field-manager=sitepod-cluster", "-f", "-"], {
    input: STORAGE_CLASS,
  });
  const crdFiles = readdirSync(p.crdDir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => path.join(p.crdDir, f));
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
  say("Installed the default StorageClass and the cert-manager CRDs.");
}

async function ensureNodes(p: ClusterPaths, say: Say): Promise<void> {
  const nodes = await listNodes(p);
  if (nodes.length < NODE_COUNT) {
    await run(
      path.join(p.binDir, "kwokctl"),
      ["scale", "node", "--name", CLUSTER_NAME, "--replicas", String(NODE_COUNT)],
      { env: kwokEnv(p) },
    );
  }
  await run(path.join(p.binDir, "kubectl"), [
    "--kubeconfig",
    p.kubeconfig,
    "wait",
    "--for=condition=Ready",
    "--timeout=120s",
    "node",
    "--all",
  ]);
  say(`${NODE_COUNT} kwok nodes Ready.`);
}

/** Starts the local cluster, or does nothing but report when it already runs. */
export async function upCluster(say: Say = quiet): Promise<{ kubeconfig: string; started: boolean }> {
  await ensureBinaries(say);
  const p = clusterPaths();
  const before = await clusterStatus();
  let started = false;
  if (!before.running) {
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
  await ensureNodes(p, say);
  await installAddons(p, say);
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

/** Stops every process of the local cluster and removes its state. */
export async function downCluster(say: Say = quiet): Promise<void> {
  const p = clusterPaths();
  await deleteCluster(p);
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
