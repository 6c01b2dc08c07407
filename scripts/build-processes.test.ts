import { type ExecFileException, execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { buildProcesses, PROCESS_ENTRIES } from "./build-processes.mjs";
import { PROCESS_ENV, PROCESS_NODE_ARGS } from "./bundle-options.mjs";

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

  it("builds one bundle and its source map per process, the map of Sitepod's own sources only", () => {
    for (const name of Object.keys(PROCESS_ENTRIES)) {
      expect(existsSync(path.join(outdir, `${name}.mjs`))).toBe(true);
      const map = JSON.parse(readFileSync(path.join(outdir, `${name}.mjs.map`), "utf8")) as {
        sources: string[];
      };
      expect(map.sources).toContain(`../../lib/${name}/main.ts`);
      expect(map.sources.filter((s) => s.includes("node_modules/"))).toEqual([]);
    }
  });

  it("runs the reconciler with node alone, its errors logged with the TypeScript's lines", async () => {
    // The reconciler's first step that can fail without a database: reading the kubeconfig.
    const { code, output } = await runNode([...PROCESS_NODE_ARGS, path.join(outdir, "reconciler.mjs")], {
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

describe("the processes' environment and node options (PROCESS_ENV, PROCESS_NODE_ARGS)", () => {
  const repo = path.join(import.meta.dirname, "..");

  it("is what the install manifests give each process's container", () => {
    for (const name of Object.keys(PROCESS_ENTRIES)) {
      const file = readFileSync(path.join(repo, "deploy", `${name}.yaml`), "utf8");
      const deployment = parseAllDocuments(file)
        .map((doc) => doc.toJS())
        .find((doc) => doc?.kind === "Deployment");
      const container = deployment.spec.template.spec.containers.find(
        (c: { name: string }) => c.name === name,
      );
      const env = Object.fromEntries(
        (container.env as Array<{ name: string; value?: string }>).map((e) => [e.name, e.value]),
      );
      expect(env).toMatchObject(PROCESS_ENV);
      expect(container.command).toEqual(["node", ...PROCESS_NODE_ARGS, `dist/${name}.mjs`]);
    }
  });

  it("is set by the package.json scripts that run the processes", () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const assignments = Object.entries(PROCESS_ENV)
      .map(([key, value]) => `${key}=${value}`)
      .join(" ");
    for (const name of Object.keys(PROCESS_ENTRIES)) {
      expect(scripts[name]).toContain(`${assignments} node ${PROCESS_NODE_ARGS.join(" ")} dist/${name}.mjs`);
    }
  });
});
