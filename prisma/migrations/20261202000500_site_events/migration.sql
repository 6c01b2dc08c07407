-- CreateTable
CREATE TABLE `SiteEvent` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `siteId` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `source` ENUM('SITEPOD', 'KUBERNETES') NOT NULL,
    `type` VARCHAR(16) NOT NULL,
    `reason` VARCHAR(64) NOT NULL,
    `object` VARCHAR(160) NOT NULL,
    `message` VARCHAR(1000) NOT NULL,
    `count` INTEGER NOT NULL DEFAULT 1,
    `eventUid` VARCHAR(64) NULL,
    `firstSeenAt` DATETIME(3) NOT NULL,
    `lastSeenAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `SiteEvent_eventUid_key`(`eventUid`),
    INDEX `SiteEvent_siteId_lastSeenAt_idx`(`siteId`, `lastSeenAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `SiteEvent` ADD CONSTRAINT `SiteEvent_siteId_fkey` FOREIGN KEY (`siteId`) REFERENCES `Site`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
