import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRegistrationFile } from "./register-runtimes";

const dir = mkdtempSync(path.join(tmpdir(), "sitepod-runtimes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readRegistrationFile", () => {
  it("reads the JSON the image build writes", async () => {
    const file = path.join(dir, "ok.json");
    writeFileSync(file, '[{"phpVersion":"8.2","image":"sitepod.local/runtime:php8.2"}]');
    expect(await readRegistrationFile(file)).toEqual([
      { phpVersion: "8.2", image: "sitepod.local/runtime:php8.2" },
    ]);
  });

  it("says which file is missing or not JSON", async () => {
    await expect(readRegistrationFile(path.join(dir, "missing.json"))).rejects.toThrow(
      /^Cannot read .*missing\.json/,
    );
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, "phpVersion: 8.2");
    await expect(readRegistrationFile(bad)).rejects.toThrow(/bad\.json is not JSON/);
  });
});
