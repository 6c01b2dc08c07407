import { z } from "zod";

/**
 * How long the change log keeps its rows. The change log is both the audit trail and the live
 * feed: every row older than the audit retention goes; the reconciler's status reports (STATUS
 * rows, which the audit log does not show) are the feed's own and go after the feed retention.
 */
export interface RetentionPolicy {
  auditRetentionDays: number;
  feedRetentionDays: number;
  /** Rows deleted per statement: each batch is one short transaction. */
  batchSize: number;
  /** How often the leading reconciler runs it. */
  intervalMinutes: number;
}

const whole = (name: string, unit: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      if (!/^\d{1,6}$/.test(v.trim()) || Number(v) < 1) {
        ctx.addIssue({
          code: "custom",
          message: `${name} must be a whole number of ${unit}, at least 1 (got "${v}")`,
        });
        return z.NEVER;
      }
      return Number(v);
    });

const envSchema = z
  .object({
    SITEPOD_AUDIT_RETENTION_DAYS: whole("SITEPOD_AUDIT_RETENTION_DAYS", "days", 365),
    SITEPOD_FEED_RETENTION_DAYS: whole("SITEPOD_FEED_RETENTION_DAYS", "days", 7),
    SITEPOD_CHANGE_LOG_RETENTION_MINUTES: whole("SITEPOD_CHANGE_LOG_RETENTION_MINUTES", "minutes", 60),
  })
  .refine((v) => v.SITEPOD_FEED_RETENTION_DAYS <= v.SITEPOD_AUDIT_RETENTION_DAYS, {
    message: "SITEPOD_FEED_RETENTION_DAYS must not exceed SITEPOD_AUDIT_RETENTION_DAYS",
  });

/**
 * The policy from SITEPOD_AUDIT_RETENTION_DAYS (default 365), SITEPOD_FEED_RETENTION_DAYS (default 7)
 * and SITEPOD_CHANGE_LOG_RETENTION_MINUTES (default 60); a bad value throws, naming the setting.
 */
export function retentionPolicyFromEnv(
  env: Record<string, string | undefined> = process.env,
): RetentionPolicy {
  const parsed = envSchema.safeParse({
    SITEPOD_AUDIT_RETENTION_DAYS: env.SITEPOD_AUDIT_RETENTION_DAYS,
    SITEPOD_FEED_RETENTION_DAYS: env.SITEPOD_FEED_RETENTION_DAYS,
    SITEPOD_CHANGE_LOG_RETENTION_MINUTES: env.SITEPOD_CHANGE_LOG_RETENTION_MINUTES,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return {
    auditRetentionDays: parsed.data.SITEPOD_AUDIT_RETENTION_DAYS,
    feedRetentionDays: parsed.data.SITEPOD_FEED_RETENTION_DAYS,
    batchSize: 1_000,
    intervalMinutes: parsed.data.SITEPOD_CHANGE_LOG_RETENTION_MINUTES,
  };
}
