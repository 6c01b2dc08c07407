/**
 * Runs the change log's retention (compactChangeLog) in the reconciler process, while it leads:
 * a minute after it starts, then every SITEPOD_CHANGE_LOG_RETENTION_MINUTES (default 60). One
 * run at a time; stop() waits for the running one.
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import { compactChangeLog } from "@/lib/services/change-log/compact-change-log";
import { type RetentionPolicy, retentionPolicyFromEnv } from "@/lib/services/change-log/retention-policy";

export interface ChangeLogRetention {
  /** Runs once now (after the running one, if any). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startChangeLogRetention(options: {
  prisma: PrismaClient;
  log: Logger;
  policy?: RetentionPolicy;
  firstRunMs?: number;
  intervalMs?: number;
}): ChangeLogRetention {
  const policy = options.policy ?? retentionPolicyFromEnv();
  const intervalMs = options.intervalMs ?? policy.intervalMinutes * 60_000;
  const log = options.log.child({ part: "retention" });
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const runOnce = async () => {
    const started = Date.now();
    try {
      const result = await compactChangeLog({ policy, db: options.prisma, log });
      log.info("change log retention ran", {
        event: "change_log.retention",
        deletedAudit: result.deleted.audit,
        deletedFeed: result.deleted.feed,
        batches: result.batches,
        compactedThrough: result.compactedThrough,
        auditRetentionDays: policy.auditRetentionDays,
        feedRetentionDays: policy.feedRetentionDays,
        ms: Date.now() - started,
      });
    } catch (err) {
      log.error("change log retention failed", { event: "change_log.retention_failed", err });
    }
  };
  const runNow = () => {
    running = running.then(runOnce);
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runNow().then(() => schedule(intervalMs));
    }, ms);
    timer.unref();
  };
  schedule(options.firstRunMs ?? 60_000);
  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
