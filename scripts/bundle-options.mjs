/**
 * How Sitepod's node processes beside the panel (the reconciler, the API server) are built and
 * run: the esbuild options of their bundles (scripts/build-processes.mjs) and the environment they
 * run in, shared with the benchmark that measures the reconciler as it runs
 * (bench/reconciler.bench.ts). A module of its own, with no "run when executed" part, so that a
 * bundle may contain it.
 */
import { readFileSync } from "node:fs";
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
    // The bundled packages' CommonJS modules call require(), which an ES module has not.
    banner: {
      js: 'import { createRequire as __sitepodRequire } from "node:module"; const require = __sitepodRequire(import.meta.url);',
    },
    logLevel: "warning",
  };
}
