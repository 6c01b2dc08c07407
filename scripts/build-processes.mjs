#!/usr/bin/env node
/**
 * Builds the long-running processes beside the panel (the reconciler, the hosting.sitepod.io API
 * server) into plain JavaScript in dist/: `node scripts/build-processes.mjs`. `npm run up` and the
 * container image run these bundles with node and PROCESS_NODE_ARGS (scripts/bundle-options.mjs),
 * not the TypeScript through tsx: tsx keeps every module's transformed source and source map in
 * memory and runs its own wrapper process, about 95 MiB more for the reconciler before it does
 * anything (measured with the reconciler's modules and its first query: 294 MiB RSS under tsx,
 * 200 MiB bundled), and its memory target (issue 12: under 400 MiB at 5,000 sites) has no room
 * for that.
 *
 * Sitepod's own code is bundled with client-node (scripts/bundle-options.mjs: 50 MiB less than
 * loading its modules); the other packages stay imports of node_modules (Prisma's query compiler,
 * the database drivers load as they do under tsx). Source maps point stack traces in the logs back
 * at the TypeScript.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { processBundleOptions, trimSourceMaps } from "./bundle-options.mjs";

/** Process name -> its entry point; the bundle is dist/<name>.mjs. */
export const PROCESS_ENTRIES = {
  reconciler: "lib/reconciler/main.ts",
  apiserver: "lib/apiserver/main.ts",
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** `outdir`: another folder than dist/ (tests). */
export async function buildProcesses(outdir = path.join(root, "dist")) {
  await build({
    ...processBundleOptions(root),
    entryPoints: PROCESS_ENTRIES,
    outdir,
    outExtension: { ".js": ".mjs" },
  });
  trimSourceMaps(Object.keys(PROCESS_ENTRIES).map((name) => path.join(outdir, `${name}.mjs.map`)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await buildProcesses();
}
