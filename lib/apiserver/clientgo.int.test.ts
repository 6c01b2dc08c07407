/**
 * A real client-go informer (tests/clientgo: a dynamic informer on hosting.sitepod.io/v1alpha1
 * sites, built with the Go toolchain) against the API server: it lists, follows a creation, a
 * change and a deletion, survives a forced 410 (the server restarts, so the informer's
 * resourceVersion is older than the new server's window, as in informer.int.test.ts) and ends up
 * with exactly the sites the database has.
 *
 * The binary is built once into the cache (SITEPOD_CACHE_DIR or ~/.cache/sitepod), keyed by a hash
 * of the program's go.mod, go.sum and source: a first build on a cold Go module cache takes minutes.
 */
import { type ChildProcessWithoutNullStreams, execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "@/lib/generated/prisma/client";
import { appendChange } from "@/lib/services/change-log/append-change";
import {
  apiRequest,
  createTestToken,
  startTestApiServer,
  type TestApiServer,
} from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();
const G = "/apis/hosting.sitepod.io/v1alpha1";
const PROGRAM_DIR = path.resolve(import.meta.dirname, "../../tests/clientgo");
let server: TestApiServer;
let acme: Account;
let ownerToken: string;
let informerBinary: string;

function goBinary(): string {
  for (const candidate of [process.env.GO, "go", "/usr/local/go/bin/go"]) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ["version"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(
    "Go is not installed (no `go` on PATH, no /usr/local/go/bin/go, no $GO): the client-go informer test needs it to build tests/clientgo",
  );
}

/** Builds tests/clientgo once per version of its sources; later runs reuse the binary. */
async function buildInformer(): Promise<string> {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", "main.go"]) hash.update(readFileSync(path.join(PROGRAM_DIR, file)));
  const cacheRoot =
    process.env.SITEPOD_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "sitepod");
  const dir = path.join(cacheRoot, "clientgo-informer");
  const binary = path.join(dir, `informer-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(binary)) return binary;
  const go = goBinary();
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      go,
      ["build", "-buildvcs=false", "-o", partial, "."],
      { cwd: PROGRAM_DIR, maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) =>
        err ? reject(new Error(`go build of tests/clientgo failed: ${stderr || String(err)}`)) : resolve(),
    );
  });
  renameSync(partial, binary);
  return binary;
}

interface InformerLine {
  event: "add" | "update" | "delete" | "synced" | "error";
  names?: string[];
  error?: string;
}

/** The running informer: every line it printed, and a wait for one matching a condition. */
function runInformer(kubeconfig: string) {
  const child: ChildProcessWithoutNullStreams = spawn(
    informerBinary,
    ["--kubeconfig", kubeconfig, "--namespace", "acme", "-v=4"],
    { env: { ...process.env, KUBECONFIG: "" } },
  );
  const lines: InformerLine[] = [];
  let stderr = "";
  let buffer = "";
  const waiters = new Set<() => void>();
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) lines.push(JSON.parse(line) as InformerLine);
    }
    for (const wake of waiters) wake();
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  child.on("exit", () => {
    for (const wake of waiters) wake();
  });
  /** The first line from index `from` on that `test` accepts; fails at the deadline or on exit. */
  function waitFor(what: string, from: number, test: (l: InformerLine) => boolean, timeoutMs = 20_000) {
    return new Promise<{ line: InformerLine; index: number }>((resolve, reject) => {
      const check = () => {
        const index = lines.findIndex((l, i) => i >= from && test(l));
        if (index >= 0) {
          done();
          resolve({ line: lines[index] as InformerLine, index });
        } else if (child.exitCode !== null) {
          done();
          reject(new Error(`the informer exited (${child.exitCode}) before ${what}: ${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`timed out waiting for ${what}; lines: ${JSON.stringify(lines)}; stderr: ${stderr}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }
  return {
    lines,
    stderr: () => stderr,
    waitFor,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

beforeAll(async () => {
  informerBinary = await buildInformer();
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  const owner = await createTestUser(p, {
    email: "owner@acme.test",
    roles: [{ account: acme, role: "OWNER" }],
  });
  ownerToken = await createTestToken({ userId: owner.id, accountId: acme.id });
  server = await startTestApiServer({});
}, 900_000);

afterAll(async () => {
  await server?.close();
});

async function createSite(name: string) {
  const res = await apiRequest(server, {
    method: "POST",
    path: `${G}/namespaces/acme/sites`,
    token: ownerToken,
    body: JSON.stringify({
      apiVersion: "hosting.sitepod.io/v1alpha1",
      kind: "Site",
      metadata: { name },
      spec: { app: "PHP", primaryDomain: `${name}.acme.test` },
    }),
  });
  expect(res.status).toBe(201);
}

/** Removes a site's row with its change-log entry, as the reconciler does when a delete finishes. */
async function finalizeDelete(name: string) {
  const p = db().prisma;
  const site = await p.site.findFirstOrThrow({ where: { accountId: acme.id, name } });
  await p.$transaction(async (tx) => {
    await tx.domain.deleteMany({ where: { siteId: site.id } });
    await tx.site.delete({ where: { id: site.id } });
    await appendChange(tx, { kind: "Site", objectId: site.id, accountId: acme.id, action: "DELETED" });
  });
}

async function databaseKeys(): Promise<string[]> {
  return (await db().prisma.site.findMany({ where: { accountId: acme.id }, orderBy: { name: "asc" } })).map(
    (s) => `acme/${s.name}`,
  );
}

const same = (a: string[] | undefined, b: string[]) => JSON.stringify(a ?? []) === JSON.stringify(b);

describe("a client-go dynamic informer", () => {
  it("lists, watches, survives a forced 410 and a restart, and matches the database", async () => {
    await createSite("first");
    await createSite("second");
    const informer = runInformer(server.kubeconfig(ownerToken, "acme"));
    try {
      const synced = await informer.waitFor("the first list", 0, (l) => l.event === "synced");
      expect(synced.line.names).toEqual(["acme/first", "acme/second"]);

      let from = synced.index + 1;
      await createSite("third");
      ({ index: from } = await informer.waitFor(
        "the watched creation",
        from,
        (l) => l.event === "add" && same(l.names, ["acme/first", "acme/second", "acme/third"]),
      ));

      const patched = await apiRequest(server, {
        method: "PATCH",
        path: `${G}/namespaces/acme/sites/third`,
        token: ownerToken,
        headers: { "content-type": "application/merge-patch+json" },
        body: JSON.stringify({ metadata: { labels: { tier: "gold" } } }),
      });
      expect(patched.status).toBe(200);
      ({ index: from } = await informer.waitFor("the watched change", from + 1, (l) => l.event === "update"));

      const deleted = await apiRequest(server, {
        method: "DELETE",
        path: `${G}/namespaces/acme/sites/second`,
        token: ownerToken,
      });
      expect(deleted.status).toBeLessThan(300);
      await finalizeDelete("second");
      ({ index: from } = await informer.waitFor(
        "the watched deletion",
        from + 1,
        (l) => l.event === "delete" && same(l.names, ["acme/first", "acme/third"]),
      ));

      // Restart the server on the same port; "first" goes while it is down, so no watch event ever
      // carries its deletion: only the relist after the 410 can.
      const { dir, port } = server;
      await server.close();
      await finalizeDelete("first");
      server = await startTestApiServer({ restart: { dir, port } });
      await createSite("fourth");
      const want = await databaseKeys();
      expect(want).toEqual(["acme/fourth", "acme/third"]);
      await informer.waitFor(
        "the informer to match the database after the restart",
        from + 1,
        (l) => same(l.names, want),
        30_000,
      );
      // The reflector relists after a 410 without calling the watch error handler; at -v=4 it logs "Watch closed" err="too old resource version: …".
      const ended = informer
        .stderr()
        .split("\n")
        .filter((l) => l.includes('"Watch closed"'));
      expect(
        ended.some((l) => l.includes("too old resource version")),
        informer.stderr().slice(-6000),
      ).toBe(true);
      expect(informer.lines.at(-1)?.names).toEqual(await databaseKeys());
    } finally {
      await informer.stop();
    }
  });
});
