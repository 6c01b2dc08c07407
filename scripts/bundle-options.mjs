/**
 * How Sitepod's node processes beside the panel (the reconciler, the API server) are built and
 * run: the esbuild options of their bundles (scripts/build-processes.mjs) and the environment they
 * run in, shared with the benchmark that measures the reconciler as it runs
 * (bench/reconciler.bench.ts). A module of its own, with no "run when executed" part, so that a
 * bundle may contain it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The environment the processes run in, wherever they run: `npm run up` (scripts/up.mjs), the
 * package.json scripts, the install manifests (deploy/reconciler.yaml, deploy/apiserver.yaml) and
 * the reconciler bench; scripts/build-processes.test.ts checks that they agree.
 *
 * MALLOC_ARENA_MAX: glibc gives each thread that allocates while another holds the main arena an
 * arena of its own, up to eight per core, and keeps what is freed in it. V8's compiler and
 * collector threads allocate briefly and a lot: in the reconciler at 1,000 sites four such arenas
 * held 73 MiB of RSS with 2 MiB in use (malloc_stats). Two arenas let the threads reuse what the
 * others freed.
 */
export const PROCESS_ENV = { MALLOC_ARENA_MAX: "2" };

/**
 * The node options the processes run with, wherever they run (as PROCESS_ENV, and checked with
 * it).
 *
 * --enable-source-maps: logged stacks name the TypeScript's files and lines. Node parses a
 * bundle's whole source map when it loads the bundle, into an array for every mapping: the map of
 * every module bundled cost the reconciler 41 MiB of heap; of Sitepod's own modules only
 * (ownSourcesOnly), a few.
 *
 * --max-semi-space-size=4 (MiB): V8's young generation, where objects are made, grows to two
 * semi-spaces of 16 MiB each by default, and stays so under a steady stream of small objects
 * (every watch event, every pass). At 300 sites 4 MiB took 51 MiB off the reconciler's peak RSS
 * and 27 MiB off its RSS at rest, at the same CPU time and convergence time.
 *
 * --heap-growing-percent=100: after each full collection V8 lets the old generation grow to twice
 * what survived before collecting again; by default it lets it grow up to four times when the
 * process allocates fast. A reconciler restarted on 5,000 sites allocates fast: it lists some
 * 54,000 objects, each parsed, trimmed and packed, and the parsed pages are garbage at once. With
 * the default its heap grew to 394 MiB with 99 MiB live, and its RSS peaked at 554 MiB; with this,
 * 349 MiB, at the same CPU time (69 s against 72 s for the restart and its pass over every site).
 * 50 took it to 292 MiB but cost 13% more CPU time.
 */
export const PROCESS_NODE_ARGS = [
  "--enable-source-maps",
  "--max-semi-space-size=4",
  "--heap-growing-percent=100",
];

/**
 * Packages bundled into the processes, tree-shaken, with the packages they import. client-node
 * is hundreds of modules (every API group's three client layers and every model); loaded from
 * node_modules it took 86 MiB RSS before the reconciler did anything, bundled 36 MiB. undici goes
 * with it: client-node's requests and Sitepod's own lists (lib/k8s/list-pages.ts) must share one
 * copy, the connections' dispatcher is undici's.
 */
export const BUNDLED_PACKAGES = ["@kubernetes/client-node", "undici"];

/**
 * The options for bundling a process whose repository is at `root` (its node_modules is where the
 * packages left out are imported from at run time). Every other package of package.json stays an
 * import: Prisma's client loads its query compiler from its own folder, and the database drivers
 * and the rest load as they do in development.
 */
export function processBundleOptions(root) {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter(
    (name) => !BUNDLED_PACKAGES.includes(name),
  );
  return {
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external,
    // Without comments and indentation the bundle is half the size, and it is what V8 keeps in the
    // heap as the process's source: one byte a character, where the comments' typographic
    // apostrophes in some packages made it two (16 MiB for an 8 MB bundle). Names stay as written,
    // and the source maps still give every logged stack the TypeScript's lines.
    minifyWhitespace: true,
    // Trimmed by trimSourceMap after the build: see PROCESS_NODE_ARGS. The map locates a line;
    // the TypeScript is in the repository (and the image) beside it.
    sourcemap: "linked",
    sourcesContent: false,
    // The bundled packages' CommonJS modules call require(), which an ES module has not.
    banner: {
      js: 'import { createRequire as __sitepodRequire } from "node:module"; const require = __sitepodRequire(import.meta.url);',
    },
    logLevel: "warning",
  };
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGITS = new Map([...BASE64].map((c, i) => [c, i]));

/** The numbers of one segment of a source map's `mappings` (base64 VLQ). */
export function decodeSegment(text) {
  const values = [];
  let value = 0;
  let factor = 1;
  for (const char of text) {
    const digit = DIGITS.get(char);
    if (digit === undefined) throw new Error(`not a base64 VLQ digit in a source map: "${char}"`);
    value += (digit & 31) * factor;
    if (digit & 32) {
      factor *= 32;
      continue;
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    factor = 1;
  }
  return values;
}

function encodeValue(n) {
  let rest = n < 0 ? -n * 2 + 1 : n * 2;
  let text = "";
  do {
    let digit = rest % 32;
    rest = Math.floor(rest / 32);
    if (rest > 0) digit |= 32;
    text += BASE64[digit];
  } while (rest > 0);
  return text;
}

/** One segment of a source map's `mappings` from its numbers. */
export function encodeSegment(values) {
  return values.map(encodeValue).join("");
}

const inNodeModules = (source) => /(^|\/)node_modules\//.test(source);

/**
 * A source map (version 3) that maps the bundle's code from Sitepod's own sources only: the
 * packages' code (client-node, undici: nine in ten of a process bundle's sources and most of its
 * mappings) is left unmapped, and a stack frame in it names the bundle's line. A run of such
 * segments becomes one unmapped segment, so that none of their positions is taken for the own
 * code before them.
 */
export function ownSourcesOnly(map, isOwn = (source) => !inNodeModules(source)) {
  const kept = new Map();
  const sources = [];
  map.sources.forEach((source, i) => {
    if (!isOwn(source)) return;
    kept.set(i, sources.length);
    sources.push(source);
  });
  const names = [];
  const nameIndex = new Map();
  // Fields after the first are relative to the previous segment's across lines, in both maps.
  const read = { source: 0, line: 0, column: 0, name: 0 };
  const written = { source: 0, line: 0, column: 0, name: 0 };
  const lines = map.mappings.split(";").map((line) => {
    if (line === "") return "";
    let generated = 0;
    let writtenGenerated = 0;
    let unmapped = false;
    const out = [];
    for (const segment of line.split(",")) {
      const v = decodeSegment(segment);
      generated += v[0];
      if (v.length >= 4) {
        read.source += v[1];
        read.line += v[2];
        read.column += v[3];
      }
      if (v.length === 5) read.name += v[4];
      const source = v.length >= 4 ? kept.get(read.source) : undefined;
      if (source === undefined) {
        if (!unmapped) {
          out.push(encodeSegment([generated - writtenGenerated]));
          writtenGenerated = generated;
          unmapped = true;
        }
        continue;
      }
      unmapped = false;
      const values = [
        generated - writtenGenerated,
        source - written.source,
        read.line - written.line,
        read.column - written.column,
      ];
      writtenGenerated = generated;
      written.source = source;
      written.line = read.line;
      written.column = read.column;
      if (v.length === 5) {
        let name = nameIndex.get(read.name);
        if (name === undefined) {
          name = names.length;
          nameIndex.set(read.name, name);
          names.push(map.names[read.name]);
        }
        values.push(name - written.name);
        written.name = name;
      }
      out.push(encodeSegment(values));
    }
    return out.join(",");
  });
  return { ...map, sources, names, mappings: lines.join(";") };
}

/** Rewrites the source map files esbuild wrote (`<bundle>.map`) with ownSourcesOnly. */
export function trimSourceMaps(mapFiles) {
  for (const file of mapFiles) {
    writeFileSync(file, JSON.stringify(ownSourcesOnly(JSON.parse(readFileSync(file, "utf8")))));
  }
}
