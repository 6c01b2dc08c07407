/** Types of scripts/bundle-options.mjs (plain Node, imported by the process build and the bench). */
import type { BuildOptions } from "esbuild";

export const BUNDLED_PACKAGES: string[];
export const PROCESS_ENV: Record<string, string>;
export function processBundleOptions(root: string): BuildOptions;
