-- Operators: the reconciler's heartbeat (platform health), support sessions ("sign in as" a user,
-- recorded on the session row and attributed in the change log), and indexes for the operator's
-- search by name.

-- CreateTable
CREATE TABLE `ReconcilerHeartbeat` (
    `holder` VARCHAR(120) NOT NULL,
    `leader` BOOLEAN NOT NULL,
    `startedAt` DATETIME(3) NOT NULL,
    `beatAt` DATETIME(3) NOT NULL,
    `stoppedAt` DATETIME(3) NULL,
    `queueReady` INTEGER NOT NULL DEFAULT 0,
    `queueDelayed` INTEGER NOT NULL DEFAULT 0,
    `queueProcessing` INTEGER NOT NULL DEFAULT 0,
    `workers` INTEGER NOT NULL DEFAULT 0,
    `passes` JSON NULL,

    INDEX `ReconcilerHeartbeat_beatAt_idx`(`beatAt`),
    PRIMARY KEY (`holder`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Impersonation` (
    `id` VARCHAR(32) NOT NULL,
    `operatorUserId` VARCHAR(32) NOT NULL,
    `targetUserId` VARCHAR(32) NOT NULL,
    `sessionId` VARCHAR(32) NOT NULL,
    `reason` VARCHAR(500) NOT NULL,
    `startedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `expiresAt` DATETIME(3) NOT NULL,
    `endedAt` DATETIME(3) NULL,
    `endReason` VARCHAR(20) NULL,
    `ip` VARCHAR(45) NULL,

    INDEX `Impersonation_operatorUserId_idx`(`operatorUserId`),
    INDEX `Impersonation_targetUserId_idx`(`targetUserId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AlterTable
ALTER TABLE `UserSession` ADD COLUMN `impersonationId` VARCHAR(32) NULL;
CREATE UNIQUE INDEX `UserSession_impersonationId_key` ON `UserSession`(`impersonationId`);

-- AlterTable
ALTER TABLE `ChangeLog` ADD COLUMN `impersonationId` VARCHAR(32) NULL;

-- CreateIndex
CREATE INDEX `Account_name_idx` ON `Account`(`name`);
CREATE INDEX `User_name_idx` ON `User`(`name`);
CREATE INDEX `Site_name_idx` ON `Site`(`name`);

-- AddForeignKey
ALTER TABLE `UserSession` ADD CONSTRAINT `UserSession_impersonationId_fkey` FOREIGN KEY (`impersonationId`) REFERENCES `Impersonation`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `Impersonation` ADD CONSTRAINT `Impersonation_operatorUserId_fkey` FOREIGN KEY (`operatorUserId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `Impersonation` ADD CONSTRAINT `Impersonation_targetUserId_fkey` FOREIGN KEY (`targetUserId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
