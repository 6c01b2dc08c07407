import { type ExecFileException, execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProcesses, PROCESS_ENTRIES } from "./build-processes.mjs";

/** Runs node with `args` and only `env` (PATH, NODE_ENV as deployed): its exit code and all it printed. */
function runNode(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env } },
      (err: ExecFileException | null, stdout: string, stderr: string) => {
        const code = err ? ((err as { code?: number }).code ?? null) : 0;
        resolve({ code: typeof code === "number" ? code : null, output: stdout + stderr });
      },
    );
  });
}

describe("the process bundles (scripts/build-processes.mjs)", () => {
  let outdir: string;
  beforeAll(async () => {
    // Inside the repository, as dist/ is: the bundles import their packages from its node_modules.
    const dist = path.join(import.meta.dirname, "..", "dist");
    mkdirSync(dist, { recursive: true });
    outdir = mkdtempSync(path.join(dist, "test-"));
    await buildProcesses(outdir);
  }, 60_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("builds one bundle and its source map per process", () => {
    for (const name of Object.keys(PROCESS_ENTRIES)) {
      expect(existsSync(path.join(outdir, `${name}.mjs`))).toBe(true);
      expect(existsSync(path.join(outdir, `${name}.mjs.map`))).toBe(true);
    }
  });

  it("runs the reconciler with node alone, its errors logged with the TypeScript's lines", async () => {
    // The reconciler's first step that can fail without a database: reading the kubeconfig.
    const { code, output } = await runNode(["--enable-source-maps", path.join(outdir, "reconciler.mjs")], {
      DATABASE_URL: "mysql://nobody@127.0.0.1:1/none",
      KUBECONFIG: "/nonexistent/kubeconfig",
    });
    expect(code).toBe(1);
    const line = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as {
      msg?: string;
      err?: { message?: string; stack?: string };
    };
    expect(line.msg).toBe("reconciler failed to start");
    expect(line.err?.message).toContain("No kubeconfig at /nonexistent/kubeconfig");
    expect(line.err?.stack).toMatch(/lib\/k8s\/client\.ts:\d+/);
  }, 30_000);
});
