/**
 * Container images of the local cluster, built here without any registry (cluster/images) and
 * imported into the real node's containerd: the site runtimes (nginx + php-fpm per PHP version),
 * the pause image, CoreDNS and Traefik.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "..");

export interface RuntimeEntry {
  phpVersion: string;
  image: string;
  debian?: string;
}

export interface ImageSet {
  dir: string;
  /** Tarballs to import, by image reference. */
  archives: Map<string, string>;
  runtimes: RuntimeEntry[];
  coredns: string;
  traefik: string;
  localPath: string;
}

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", args, { stdio: ["ignore", "pipe", "inherit"], env });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out.trim().split("\n").pop() ?? "");
      else reject(new Error(`${args.join(" ")} failed with exit code ${code} (see above)`));
    });
  });
}

/** Builds what is missing (cached by content) and returns the set to import. */
export async function ensureImages(
  cacheRoot: string,
  nodeBinDir: string,
  versions: Record<string, string>,
  say: (line: string) => void,
): Promise<ImageSet> {
  const env = { ...process.env, SITEPOD_CACHE_DIR: cacheRoot };
  const dir = await runScript([path.join(repoRoot, "cluster", "images", "build.sh")], env);
  if (!dir || !existsSync(path.join(dir, "catalog.json"))) {
    throw new Error(`cluster/images/build.sh printed no image directory with a catalog.json (got "${dir}")`);
  }
  const runtimes = JSON.parse(readFileSync(path.join(dir, "catalog.json"), "utf8")) as RuntimeEntry[];
  const archives = new Map<string, string>();
  archives.set("sitepod.local/pause:1", path.join(dir, "pause.tar"));
  for (const r of runtimes) archives.set(r.image, path.join(dir, `runtime-php${r.phpVersion}.tar`));

  const staticDir = path.join(cacheRoot, "images", "static");
  const coredns = `sitepod.local/coredns:${versions.COREDNS_VERSION}`;
  const traefik = `sitepod.local/traefik:${versions.TRAEFIK_VERSION}`;
  const localPath = `sitepod.local/local-path-provisioner:${versions.LOCAL_PATH_PROVISIONER_VERSION}`;
  const staticImages: [string, string, string][] = [
    [
      coredns,
      path.join(nodeBinDir, "coredns"),
      path.join(staticDir, `coredns-${versions.COREDNS_VERSION}.tar`),
    ],
    [
      traefik,
      path.join(nodeBinDir, "traefik"),
      path.join(staticDir, `traefik-${versions.TRAEFIK_VERSION}.tar`),
    ],
    [
      localPath,
      path.join(nodeBinDir, "local-path-provisioner"),
      path.join(staticDir, `local-path-provisioner-${versions.LOCAL_PATH_PROVISIONER_VERSION}.tar`),
    ],
  ];
  mkdirSync(staticDir, { recursive: true });
  for (const [ref, binary, tar] of staticImages) {
    if (!existsSync(tar)) {
      say(`Packing ${ref}...`);
      await runScript([path.join(repoRoot, "cluster", "images", "static-image.sh"), binary, ref, tar], env);
    }
    archives.set(ref, tar);
  }
  for (const [ref, tar] of archives) {
    if (!existsSync(tar)) throw new Error(`image archive for ${ref} is missing: ${tar}`);
  }
  return { dir, archives, runtimes, coredns, traefik, localPath };
}

/**
 * Imports the images containerd lacks, or whose archive changed since it was imported (the
 * references are fixed, so a rebuilt runtime replaces the old one), and pins them so the kubelet
 * never garbage-collects what cannot be pulled back.
 */
export async function importImages(
  ctr: string,
  socket: string,
  recordFile: string,
  set: ImageSet,
  say: (line: string) => void,
) {
  const base = ["--address", socket, "--namespace", "k8s.io"];
  const { stdout } = await execFileAsync(ctr, [...base, "images", "list", "--quiet"]);
  const present = new Set(stdout.split("\n").map((l) => l.trim()));
  const record: Record<string, string> = existsSync(recordFile)
    ? (JSON.parse(readFileSync(recordFile, "utf8")) as Record<string, string>)
    : {};
  for (const [ref, tar] of set.archives) {
    const st = statSync(tar);
    const stamp = `${tar}:${st.size}:${st.mtimeMs}`;
    if (present.has(ref) && record[ref] === stamp) continue;
    say(`Importing ${ref} into the node...`);
    await execFileAsync(ctr, [...base, "images", "import", tar], { maxBuffer: 16 * 1024 * 1024 });
    await execFileAsync(ctr, [...base, "images", "label", ref, "io.cri-containerd.pinned=pinned"]);
    record[ref] = stamp;
    writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  }
}
