import { describe, expect, it } from "vitest";
import { retentionPolicyFromEnv } from "./retention-policy";

describe("retentionPolicyFromEnv", () => {
  it("defaults to a year of audit trail and a week of status reports", () => {
    expect(retentionPolicyFromEnv({})).toEqual({
      auditRetentionDays: 365,
      feedRetentionDays: 7,
      batchSize: 1000,
      intervalMinutes: 60,
    });
  });

  it("reads the settings", () => {
    expect(
      retentionPolicyFromEnv({
        SITEPOD_AUDIT_RETENTION_DAYS: "90",
        SITEPOD_FEED_RETENTION_DAYS: "2",
        SITEPOD_CHANGE_LOG_RETENTION_MINUTES: "15",
      }),
    ).toMatchObject({ auditRetentionDays: 90, feedRetentionDays: 2, intervalMinutes: 15 });
  });

  it("refuses what is not a number of days, or a feed kept longer than the audit trail", () => {
    expect(() => retentionPolicyFromEnv({ SITEPOD_AUDIT_RETENTION_DAYS: "1y" })).toThrow(
      /SITEPOD_AUDIT_RETENTION_DAYS must be a whole number of days/,
    );
    expect(() => retentionPolicyFromEnv({ SITEPOD_FEED_RETENTION_DAYS: "0" })).toThrow(/at least 1/);
    expect(() => retentionPolicyFromEnv({ SITEPOD_CHANGE_LOG_RETENTION_MINUTES: "often" })).toThrow(
      /SITEPOD_CHANGE_LOG_RETENTION_MINUTES must be a whole number of minutes/,
    );
    expect(() =>
      retentionPolicyFromEnv({ SITEPOD_AUDIT_RETENTION_DAYS: "5", SITEPOD_FEED_RETENTION_DAYS: "7" }),
    ).toThrow(/must not exceed/);
  });
});
