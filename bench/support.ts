/** Shared by the benchmarks: their settings from the environment, their percentiles, a process's memory. */
import { readFileSync } from "node:fs";

/** A positive integer setting from the environment, or `fallback` when unset; anything else throws. */
export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return n;
}

/**
 * The p-th percentile (0 to 100) of ascending samples by the nearest-rank method: the smallest
 * sample with at least p percent of the samples at or below it. NaN if there are none.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** A process's resident memory (VmRSS) in bytes, or undefined when it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? 0 : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}
