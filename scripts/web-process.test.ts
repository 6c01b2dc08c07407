import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { WEB_HEAP_MB, webNodeOptions } from "./web-process.mjs";

describe("the web process's Node options", () => {
  it("bound the heap when nothing else is set", () => {
    expect(webNodeOptions(undefined)).toBe(`--max-old-space-size=${WEB_HEAP_MB}`);
    expect(webNodeOptions("  ")).toBe(`--max-old-space-size=${WEB_HEAP_MB}`);
  });

  it("keep the operator's own options and add the bound", () => {
    expect(webNodeOptions("--enable-source-maps")).toBe(
      `--enable-source-maps --max-old-space-size=${WEB_HEAP_MB}`,
    );
  });

  it("leave an operator's own heap bound alone, in either spelling", () => {
    expect(webNodeOptions("--max-old-space-size=512")).toBe("--max-old-space-size=512");
    expect(webNodeOptions("--enable-source-maps --max-old-space-size 640")).toBe(
      "--enable-source-maps --max-old-space-size 640",
    );
  });

  it("are what the install manifests give the web container", () => {
    const file = readFileSync(path.join(import.meta.dirname, "..", "deploy", "web.yaml"), "utf8");
    const deployment = parseAllDocuments(file)
      .map((doc) => doc.toJS())
      .find((doc) => doc?.kind === "Deployment");
    const container = deployment.spec.template.spec.containers.find(
      (c: { name: string }) => c.name === "web",
    );
    const nodeOptions = container.env.find((e: { name: string }) => e.name === "NODE_OPTIONS");
    expect(nodeOptions?.value).toBe(webNodeOptions(undefined));
  });
});
