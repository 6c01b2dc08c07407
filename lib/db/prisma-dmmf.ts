/**
 * Reads the data model the Prisma client was generated from, for the schema-drift test.
 *
 * The generated client embeds its schema (`inlineSchema` in lib/generated/prisma/internal/class.ts)
 * but only a reduced runtime model without column types or indexes. The full DMMF comes from
 * Prisma's schema WASM module, shipped inside the `prisma` CLI package; @prisma/internals (the
 * usual way to call it) is not a dependency. Its wasm-bindgen API is tiny: strings in, string out.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

export const GENERATED_CLASS_FILE = path.resolve(
  import.meta.dirname,
  "../generated/prisma/internal/class.ts",
);

/** The schema text the generated client embeds (what it was generated from). */
export function readGeneratedClientSchema(file = GENERATED_CLASS_FILE): string {
  const source = readFileSync(file, "utf8");
  const match = /"inlineSchema":\s*("(?:[^"\\]|\\.)*")/.exec(source);
  if (!match?.[1]) throw new Error(`No inlineSchema found in ${file}: was the client generated?`);
  return JSON.parse(match[1]) as string;
}

export interface DmmfField {
  name: string;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  dbName: string | null;
  isRequired: boolean;
  isList: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationName?: string | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string | null;
  relationOnUpdate?: string | null;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: { name: string | null; fields: string[] }[];
}

export interface DmmfIndex {
  model: string;
  type: "id" | "normal" | "unique" | "fulltext";
  isDefinedOnField: boolean;
  dbName: string | null;
  name?: string | null;
  fields: { name: string }[];
}

export interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; values: { name: string; dbName: string | null }[] }[];
    indexes: DmmfIndex[];
  };
}

interface SchemaWasm {
  memory: WebAssembly.Memory;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, len: number, align: number): void;
  __wbindgen_externrefs: WebAssembly.Table;
  __externref_table_dealloc(index: number): void;
  __wbindgen_start(): void;
}

function loadSchemaWasm(): SchemaWasm {
  const file = path.join(
    path.dirname(require.resolve("prisma/package.json")),
    "build",
    "prisma_schema_build_bg.wasm",
  );
  const module = new WebAssembly.Module(readFileSync(file));
  let wasm: SchemaWasm | undefined;
  const decode = (ptr: number, len: number) =>
    new TextDecoder().decode(new Uint8Array((wasm as SchemaWasm).memory.buffer, ptr, len));
  // Import names carry a build hash; match them by prefix so a Prisma upgrade does not break this.
  const handlers: Record<string, (...args: number[]) => unknown> = {
    __wbg_set_message_: () => undefined,
    __wbg_Error_: (ptr = 0, len = 0) => new Error(decode(ptr, len)),
    __wbg___wbindgen_throw_: (ptr = 0, len = 0) => {
      throw new Error(decode(ptr, len));
    },
    __wbindgen_init_externref_table: () => {
      const table = (wasm as SchemaWasm).__wbindgen_externrefs;
      const offset = table.grow(4);
      table.set(0, undefined);
      table.set(offset + 0, undefined);
      table.set(offset + 1, null);
      table.set(offset + 2, true);
      table.set(offset + 3, false);
    },
  };
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    const handler = Object.entries(handlers).find(([prefix]) => entry.name.startsWith(prefix))?.[1];
    if (!handler) throw new Error(`Prisma schema WASM needs an unknown import ${entry.module}.${entry.name}`);
    imports[entry.module] ??= {};
    (imports[entry.module] as Record<string, (...args: number[]) => unknown>)[entry.name] = handler;
  }
  wasm = new WebAssembly.Instance(module, imports).exports as unknown as SchemaWasm;
  wasm.__wbindgen_start();
  return wasm;
}

/** The DMMF of a schema, as `prisma generate` hands it to generators. */
export function getDmmf(schema: string): Dmmf {
  const wasm = loadSchemaWasm();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: schema, noColor: true }));
  const ptr = wasm.__wbindgen_malloc(input.length, 1);
  new Uint8Array(wasm.memory.buffer, ptr, input.length).set(input);
  const [outPtr, outLen, errIndex, isErr] = wasm.get_dmmf(ptr, input.length);
  if (isErr) {
    const err: unknown = wasm.__wbindgen_externrefs.get(errIndex);
    wasm.__externref_table_dealloc(errIndex);
    throw err instanceof Error ? err : new Error(String(err));
  }
  const text = new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, outPtr, outLen));
  wasm.__wbindgen_free(outPtr, outLen, 1);
  return JSON.parse(text) as Dmmf;
}
