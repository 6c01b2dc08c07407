import { getPrisma } from "@/lib/db";
import { log } from "@/lib/log";

export interface Readiness {
  status: "ok" | "unavailable";
  checks: { database: "ok" | "unreachable" };
}

const TIMEOUT_MS = 2_000;

/** Can this process serve requests? Only the database is required; the cluster is the reconciler's. */
export async function checkReadiness(): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      getPrisma().$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { status: "ok", checks: { database: "ok" } };
  } catch (err) {
    log.warn("readiness check failed", { check: "database", err });
    return { status: "unavailable", checks: { database: "unreachable" } };
  } finally {
    clearTimeout(timer);
  }
}
