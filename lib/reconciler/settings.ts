/**
 * The reconciler's settings read from its environment. A value that cannot be used stops the
 * process at its start with a message naming the setting, rather than running with a guess.
 */
import { z } from "zod";

/** A setting that cannot be parsed: the reconciler must not start with it. */
export class ReconcilerSettingError extends Error {
  override name = "ReconcilerSettingError";
}

export const DEFAULT_WORKERS = 2;
export const MAX_WORKERS = 32;

const workers = z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(MAX_WORKERS));

/**
 * SITEPOD_RECONCILER_WORKERS: how many passes run at once (default 2). A pass spends most of its
 * time waiting on the API server and the database, so a platform with thousands of sites, whose
 * API server has cores to spare, converges faster with more.
 */
export function reconcilerWorkers(env: Record<string, string | undefined>): number {
  const raw = env.SITEPOD_RECONCILER_WORKERS?.trim();
  if (!raw) return DEFAULT_WORKERS;
  const parsed = workers.safeParse(raw);
  if (!parsed.success) {
    throw new ReconcilerSettingError(
      `SITEPOD_RECONCILER_WORKERS: "${raw}" is not a number of workers; write a whole number from 1 to ${MAX_WORKERS} (default ${DEFAULT_WORKERS})`,
    );
  }
  return parsed.data;
}
