-- Retention deletes change-log rows by age (lib/services/change-log/compact-change-log.ts).
CREATE INDEX `ChangeLog_createdAt_idx` ON `ChangeLog`(`createdAt`);
