import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { leftoverReason, type NodeLayout, nodeLayout, realNodeSkipped } from "./node";

let dir = "";
let layout: NodeLayout;
let children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "sitepod-node-"));
  const run = path.join(dir, "run");
  layout = { ...nodeLayout(dir), run, pids: path.join(run, "pids"), pki: path.join(run, "pki") };
});

afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children = [];
  rmSync(dir, { recursive: true, force: true });
});

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: "ignore" });
}

/** A self-signed CA in `dir`/name.crt (+ .key). */
function makeCa(name: string): string {
  const crt = path.join(dir, `${name}.crt`);
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    path.join(dir, `${name}.key`),
    "-out",
    crt,
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
  ]);
  return crt;
}

/** The kubelet's client certificate, issued by the CA `ca`, where the node keeps it. */
function issueClientCert(ca: string): void {
  mkdirSync(layout.pki, { recursive: true });
  const key = path.join(layout.pki, "kubelet-client.key");
  const csr = path.join(layout.pki, "kubelet-client.csr");
  openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=node"]);
  openssl([
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    ca,
    "-CAkey",
    ca.replace(/\.crt$/, ".key"),
    "-CAcreateserial",
    "-out",
    path.join(layout.pki, "kubelet-client.crt"),
    "-days",
    "1",
  ]);
}

function writePid(name: string, pid: number): void {
  mkdirSync(layout.pids, { recursive: true });
  writeFileSync(path.join(layout.pids, `${name}.pid`), `${pid}\n`);
}

/** A running process whose program is named `name` (a link to sleep), as the node starts them. */
function runAs(name: string): number {
  const bin = path.join(dir, name);
  symlinkSync("/bin/sleep", bin);
  const child = spawn(bin, ["60"], { stdio: "ignore" });
  children.push(child);
  if (child.pid === undefined) throw new Error(`could not start ${bin}`);
  return child.pid;
}

describe("leftoverReason", () => {
  it("finds nothing to clear where no node ran", () => {
    const ca = makeCa("ca");
    expect(leftoverReason(layout, ca)).toBeUndefined();
    mkdirSync(layout.run, { recursive: true });
    mkdirSync(path.join(layout.run, "up.lock"));
    expect(leftoverReason(layout, ca)).toBeUndefined();
  });

  it("clears a node whose processes are gone (a session killed without cluster:down)", () => {
    const ca = makeCa("ca");
    issueClientCert(ca);
    // A pid that no longer runs: spawnSync returns once /bin/true has exited and been reaped.
    const gone = spawnSync("/bin/true").pid;
    writePid("kubelet", gone);
    writePid("containerd", gone);
    expect(leftoverReason(layout, ca)).toMatch(/ended without `cluster:down`/);
  });

  it("does not take a reused pid for the node's kubelet", () => {
    const ca = makeCa("ca");
    issueClientCert(ca);
    // This test's own pid runs, but it is node, not the kubelet the file names.
    writePid("kubelet", process.pid);
    writePid("containerd", process.pid);
    expect(leftoverReason(layout, ca)).toMatch(/ended without `cluster:down`/);
  });

  it("clears a running node whose certificates another cluster's CA issued", () => {
    const earlier = makeCa("earlier");
    const current = makeCa("current");
    issueClientCert(earlier);
    writePid("kubelet", runAs("kubelet"));
    expect(leftoverReason(layout, current)).toMatch(/earlier local cluster/);
    // The same running node, for the cluster that issued its certificates, is carried on.
    expect(leftoverReason(layout, earlier)).toBeUndefined();
  });
});

describe("realNodeSkipped", () => {
  const supported = () => undefined;
  const unsupported = () => "the real node needs root";

  it("starts a node by default, and where SITEPOD_REAL_NODE says yes, if the machine can run one", () => {
    expect(realNodeSkipped({}, supported)).toBeUndefined();
    expect(realNodeSkipped({ SITEPOD_REAL_NODE: "" }, supported)).toBeUndefined();
    expect(realNodeSkipped({ SITEPOD_REAL_NODE: " Yes " }, supported)).toBeUndefined();
    expect(realNodeSkipped({ SITEPOD_REAL_NODE: "yes" }, unsupported)).toBe("the real node needs root");
  });

  it("starts none where SITEPOD_REAL_NODE=no, without asking the machine", () => {
    const asked: string[] = [];
    const ask = () => {
      asked.push("asked");
      return undefined;
    };
    expect(realNodeSkipped({ SITEPOD_REAL_NODE: "no" }, ask)).toBe("turned off by SITEPOD_REAL_NODE=no");
    expect(realNodeSkipped({ SITEPOD_REAL_NODE: "NO" }, ask)).toBe("turned off by SITEPOD_REAL_NODE=no");
    expect(asked).toEqual([]);
  });

  it("refuses any other value, saying which ones it takes", () => {
    expect(() => realNodeSkipped({ SITEPOD_REAL_NODE: "false" }, supported)).toThrow(
      'SITEPOD_REAL_NODE must be "yes" (the default) or "no", not "false"',
    );
  });
});
