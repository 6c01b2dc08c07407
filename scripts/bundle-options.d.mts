/** Types of scripts/bundle-options.mjs (plain Node, imported by the process build and the bench). */
import type { BuildOptions } from "esbuild";

export const BUNDLED_PACKAGES: string[];
export const PROCESS_ENV: Record<string, string>;
export function processBundleOptions(root: string): BuildOptions;
export const PROCESS_NODE_ARGS: string[];
export function decodeSegment(text: string): number[];
export function encodeSegment(values: number[]): string;
export interface SourceMapV3 {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
  [field: string]: unknown;
}
export function ownSourcesOnly(map: SourceMapV3, isOwn?: (source: string) => boolean): SourceMapV3;
export function trimSourceMaps(mapFiles: string[]): void;
