/**
 * The esbuild options of Sitepod's node processes (scripts/build-processes.mjs) and of the
 * benchmark that measures the reconciler as it runs (bench/reconciler.bench.ts). A module of its
 * own, with no "run when executed" part, so that a bundle may contain it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

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
    // The bundled packages' CommonJS modules call require(), which an ES module has not.
    banner: {
      js: 'import { createRequire as __sitepodRequire } from "node:module"; const require = __sitepodRequire(import.meta.url);',
    },
    logLevel: "warning",
  };
}
