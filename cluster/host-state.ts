/**
 * What the real node changes on this machine, saved before the first change and put back by
 * `cluster:down`: kernel settings the kubelet, kube-proxy and the CNI bridge turn on, the
 * nftables ruleset (kube-proxy, kube-router and the CNI plugins add chains), kube-router's ipsets,
 * directories the kubelet creates outside its root, network namespaces and cgroups.
 *
 * Node built-ins only, like the rest of cluster/.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Kernel settings the node's processes change (kubelet: panic, overcommit, keys; CNI: forwarding). */
export const TOUCHED_SYSCTLS = [
  "kernel/panic",
  "kernel/panic_on_oops",
  "kernel/keys/root_maxkeys",
  "kernel/keys/root_maxbytes",
  "vm/overcommit_memory",
  "vm/panic_on_oom",
  "net/ipv4/ip_forward",
  "net/ipv4/conf/all/forwarding",
  "net/ipv4/conf/all/route_localnet",
  "net/ipv6/conf/default/disable_ipv6",
  "net/bridge/bridge-nf-call-iptables",
  "net/bridge/bridge-nf-call-ip6tables",
  "net/netfilter/nf_conntrack_max",
  "net/netfilter/nf_conntrack_tcp_timeout_established",
  "net/netfilter/nf_conntrack_tcp_timeout_close_wait",
] as const;

/** Directories the kubelet and the CNI plugins create outside the node's own state directory. */
export const TOUCHED_DIRS = [
  "/var/log/pods",
  "/var/log/containers",
  "/var/lib/cni",
  "/var/lib/kubelet",
  "/run/netns",
  "/etc/cni",
  "/opt/cni",
  // Site volumes (local-path-provisioner), and the in-tree host-path provisioner's directories.
  "/var/lib/sitepod-node",
  "/tmp/hostpath_pv",
] as const;

export interface HostState {
  savedAt: string;
  sysctls: Record<string, string>;
  /** Which of TOUCHED_DIRS existed, and for those that did, which entries they held. */
  dirs: Record<string, string[] | null>;
  ipsets: string[];
  /** cgroup v1 controllers (and the unified hierarchy) that had a kubepods directory already. */
  kubepodsCgroups: string[];
}

const SYSCTL_ROOT = "/proc/sys";
const CGROUP_ROOT = "/sys/fs/cgroup";

function readSysctl(key: string): string | undefined {
  try {
    return readFileSync(path.join(SYSCTL_ROOT, key), "utf8").trim();
  } catch {
    return undefined;
  }
}

export function writeSysctl(key: string, value: string): void {
  writeFileSync(path.join(SYSCTL_ROOT, key), `${value}\n`);
}

function listIpsets(): string[] {
  try {
    return execFileSync("ipset", ["list", "-n"], { encoding: "utf8" }).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

function cgroupControllers(): string[] {
  if (!existsSync(CGROUP_ROOT)) return [];
  return readdirSync(CGROUP_ROOT).filter((name) => {
    try {
      return statSync(path.join(CGROUP_ROOT, name)).isDirectory();
    } catch {
      return false;
    }
  });
}

export function captureHostState(): HostState {
  const sysctls: Record<string, string> = {};
  for (const key of TOUCHED_SYSCTLS) {
    const value = readSysctl(key);
    if (value !== undefined) sysctls[key] = value;
  }
  const dirs: Record<string, string[] | null> = {};
  for (const dir of TOUCHED_DIRS) dirs[dir] = existsSync(dir) ? readdirSync(dir) : null;
  return {
    savedAt: new Date().toISOString(),
    sysctls,
    dirs,
    ipsets: listIpsets(),
    kubepodsCgroups: cgroupControllers().filter((c) => existsSync(path.join(CGROUP_ROOT, c, "kubepods"))),
  };
}

/** Mount points under any of `roots`, deepest first. */
export function mountsUnder(roots: string[]): string[] {
  const lines = readFileSync("/proc/self/mountinfo", "utf8").split("\n");
  const points = new Set<string>();
  for (const line of lines) {
    const fields = line.split(" ");
    const point = fields[4]?.replace(/\\040/g, " ");
    if (point && roots.some((r) => point === r || point.startsWith(`${r}/`))) points.add(point);
  }
  return [...points].sort((a, b) => b.length - a.length);
}

export function unmountAll(roots: string[]): void {
  for (const point of mountsUnder(roots)) {
    try {
      execFileSync("umount", ["-l", point], { stdio: "ignore" });
    } catch {
      // Already gone.
    }
  }
}

/** Removes a cgroup directory tree bottom-up (cgroupfs only allows rmdir of empty groups). */
function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeCgroupTree(path.join(dir, entry.name));
  }
  try {
    rmdirSync(dir);
  } catch {
    // A process still in it: left for the next `down`.
  }
}

/** Every pid inside the kubepods cgroups (containers the kubelet started). */
export function kubepodsPids(): number[] {
  const pids = new Set<number>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    try {
      for (const line of readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n")) {
        const pid = Number.parseInt(line, 10);
        if (pid > 0) pids.add(pid);
      }
    } catch {
      // Not a cgroup directory.
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
    }
  };
  for (const controller of ["pids", "memory", "cpu", "unified"])
    walk(path.join(CGROUP_ROOT, controller, "kubepods"));
  return [...pids];
}

export function restoreHostState(saved: HostState, nftSnapshot: string | undefined): string[] {
  const notes: string[] = [];
  // Firewall: the whole nftables ruleset as it was (iptables-nft writes there too).
  if (nftSnapshot !== undefined) {
    try {
      execFileSync("nft", ["-f", "-"], {
        input: `flush ruleset\n${nftSnapshot}`,
        stdio: ["pipe", "ignore", "pipe"],
      });
    } catch (err) {
      notes.push(`could not restore the nftables ruleset: ${(err as Error).message}`);
    }
  }
  for (const set of listIpsets()) {
    if (!saved.ipsets.includes(set)) {
      try {
        execFileSync("ipset", ["destroy", set], { stdio: "ignore" });
      } catch {
        notes.push(`ipset ${set} is still in use`);
      }
    }
  }
  for (const [key, value] of Object.entries(saved.sysctls)) {
    if (readSysctl(key) !== value) {
      try {
        writeSysctl(key, value);
      } catch (err) {
        notes.push(`could not restore ${key.replaceAll("/", ".")}=${value}: ${(err as Error).message}`);
      }
    }
  }
  for (const [dir, entries] of Object.entries(saved.dirs)) {
    if (!existsSync(dir)) continue;
    if (entries === null) {
      unmountAll([dir]);
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    for (const entry of readdirSync(dir)) {
      if (entries.includes(entry)) continue;
      const full = path.join(dir, entry);
      unmountAll([full]);
      rmSync(full, { recursive: true, force: true });
    }
  }
  for (const controller of cgroupControllers()) {
    if (!saved.kubepodsCgroups.includes(controller))
      removeCgroupTree(path.join(CGROUP_ROOT, controller, "kubepods"));
  }
  return notes;
}

/** What a reviewer would diff by hand before `up` and after `down`. */
export function hostFingerprint(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of TOUCHED_SYSCTLS) out[`sysctl ${key}`] = readSysctl(key) ?? "(absent)";
  for (const dir of TOUCHED_DIRS)
    out[`dir ${dir}`] = existsSync(dir) ? readdirSync(dir).sort().join(",") : "(absent)";
  const links = execFileSync("ip", ["-o", "link", "show"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  })
    .split("\n")
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1])
    .filter(Boolean)
    .sort();
  out.links = links.join(",");
  out.nftables = execFileSync("nft", ["list", "ruleset"], { encoding: "utf8" });
  out.ipsets = listIpsets().sort().join(",");
  out.mounts = mountsUnder(["/run/sitepod-node", "/var/lib/kubelet", "/run/netns", "/var/run/netns"]).join(
    ",",
  );
  out.kubepods = cgroupControllers()
    .filter((c) => existsSync(path.join(CGROUP_ROOT, c, "kubepods")))
    .join(",");
  return out;
}

export function diffFingerprints(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const diffs: string[] = [];
  for (const key of keys) {
    if (before[key] !== after[key]) {
      const show = (v: string | undefined) =>
        v === undefined ? "(none)" : v.length > 200 ? `${v.slice(0, 200)}...` : v;
      diffs.push(
        `${key}: before ${JSON.stringify(show(before[key]))}, after ${JSON.stringify(show(after[key]))}`,
      );
    }
  }
  return diffs;
}
