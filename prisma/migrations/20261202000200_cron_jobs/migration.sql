-- CreateTable
CREATE TABLE `CronJob` (
    `id` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `siteId` VARCHAR(32) NOT NULL,
    `name` VARCHAR(40) NOT NULL,
    `schedule` VARCHAR(100) NOT NULL,
    `command` VARCHAR(1000) NOT NULL,
    `enabled` BOOLEAN NOT NULL DEFAULT true,
    `concurrencyPolicy` ENUM('FORBID', 'ALLOW', 'REPLACE') NOT NULL DEFAULT 'FORBID',
    `successfulJobsHistoryLimit` INTEGER NOT NULL DEFAULT 3,
    `failedJobsHistoryLimit` INTEGER NOT NULL DEFAULT 1,
    `generation` INTEGER NOT NULL DEFAULT 1,
    `observedGeneration` INTEGER NOT NULL DEFAULT 0,
    `conditions` JSON NOT NULL,
    `deletionRequestedAt` DATETIME(3) NULL,
    `lastScheduleTime` DATETIME(3) NULL,
    `lastSuccessfulTime` DATETIME(3) NULL,
    `runs` JSON NULL,
    `lastOutput` TEXT NULL,
    `lastOutputRun` VARCHAR(63) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `CronJob_accountId_idx`(`accountId`),
    UNIQUE INDEX `CronJob_siteId_name_key`(`siteId`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `CronJob` ADD CONSTRAINT `CronJob_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `CronJob` ADD CONSTRAINT `CronJob_siteId_fkey` FOREIGN KEY (`siteId`) REFERENCES `Site`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
