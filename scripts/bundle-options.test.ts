import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSegment, encodeSegment, ownSourcesOnly, type SourceMapV3 } from "./bundle-options.mjs";

describe("base64 VLQ segments", () => {
  it("round-trips values of every size and sign", () => {
    for (const values of [
      [0],
      [1, -1, 15, -16],
      [16, -17, 1023, -1024],
      [3_000_000, -3_000_000, 0, 7, 123_456],
    ]) {
      expect(decodeSegment(encodeSegment(values))).toEqual(values);
    }
    // From the source map specification's examples: "AAAA" is four zeros, "gB" is 16, "D" is -1.
    expect(decodeSegment("AAAA")).toEqual([0, 0, 0, 0]);
    expect(decodeSegment("gB")).toEqual([16]);
    expect(decodeSegment("D")).toEqual([-1]);
  });

  it("refuses a character that is not a digit", () => {
    expect(() => decodeSegment("A*")).toThrow('not a base64 VLQ digit in a source map: "*"');
  });
});

describe("ownSourcesOnly", () => {
  let dir: string;
  let original: SourceMapV3;
  let code: string;

  beforeAll(async () => {
    // A bundle of a module of ours around a package's code, as the process bundles are.
    dir = mkdtempSync(path.join(tmpdir(), "sitepod-map-test-"));
    mkdirSync(path.join(dir, "node_modules", "pkg"), { recursive: true });
    writeFileSync(
      path.join(dir, "node_modules", "pkg", "index.js"),
      "export function packaged(a) {\n  const b = a * 2;\n  return [b, b + 1].map((x) => x - 1);\n}\n",
    );
    // Minified, the three modules are one line: own code, the package's, own code again.
    writeFileSync(path.join(dir, "first.js"), "export const first = (v) => v + 1;\n");
    writeFileSync(
      path.join(dir, "main.js"),
      'import { first } from "./first.js";\nimport { packaged } from "pkg";\nexport function own(value) {\n  const doubled = packaged(first(value));\n  return doubled.length;\n}\nconsole.log(own(2));\n',
    );
    mkdirSync(path.join(dir, "out"));
    await build({
      absWorkingDir: dir,
      entryPoints: ["main.js"],
      bundle: true,
      format: "esm",
      outfile: path.join(dir, "out", "main.mjs"),
      sourcemap: "linked",
      sourcesContent: false,
      minifyWhitespace: true,
      logLevel: "silent",
    });
    original = JSON.parse(readFileSync(path.join(dir, "out", "main.mjs.map"), "utf8")) as SourceMapV3;
    code = readFileSync(path.join(dir, "out", "main.mjs"), "utf8");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every mapping of the own module and none of the package's", () => {
    expect(original.sources).toEqual(["../first.js", "../node_modules/pkg/index.js", "../main.js"]);
    const trimmed = ownSourcesOnly(original);
    expect(trimmed.sources).toEqual(["../first.js", "../main.js"]);
    // Node's own reader of source maps (the one --enable-source-maps uses) answers for both.
    const payload = (map: SourceMapV3) =>
      ({ file: "", sourceRoot: "", sourcesContent: [], ...map }) as SourceMapPayload;
    const before = new SourceMap(payload(original));
    const after = new SourceMap(payload(trimmed));
    let own = 0;
    let packaged = 0;
    const lines = code.split("\n");
    for (let line = 0; line < lines.length; line++) {
      for (let column = 0; column < (lines[line] ?? "").length; column++) {
        const was = before.findEntry(line, column) as { originalSource?: string };
        const is = after.findEntry(line, column) as { originalSource?: string };
        if (was.originalSource?.endsWith("main.js") || was.originalSource?.endsWith("first.js")) {
          own++;
          expect(is).toEqual(was);
        } else if (was.originalSource?.includes("node_modules")) {
          packaged++;
          expect(is.originalSource).toBeUndefined();
        }
      }
    }
    // Both kinds of code were looked at, position by position.
    expect(own).toBeGreaterThan(20);
    expect(packaged).toBeGreaterThan(20);
  });

  it("keeps the names the own mappings use, and the map's other fields", () => {
    const trimmed = ownSourcesOnly({ ...original, file: "main.mjs" });
    expect(trimmed.file).toBe("main.mjs");
    expect(trimmed.version).toBe(3);
    expect(trimmed.names.every((n) => original.names.includes(n))).toBe(true);
    expect(trimmed.mappings.length).toBeLessThan(original.mappings.length);
  });
});
