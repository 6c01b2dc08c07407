-- AlterTable
ALTER TABLE `Account` ADD COLUMN `planId` VARCHAR(32) NULL,
    ADD COLUMN `suspendedAt` DATETIME(3) NULL,
    ADD COLUMN `suspendedReason` VARCHAR(500) NULL,
    ADD COLUMN `terminationRequestedAt` DATETIME(3) NULL;

-- AlterTable
ALTER TABLE `ChangeLog` ADD COLUMN `summary` VARCHAR(500) NULL;

-- CreateTable
CREATE TABLE `Plan` (
    `id` VARCHAR(32) NOT NULL,
    `ownerAccountId` VARCHAR(32) NOT NULL,
    `name` VARCHAR(80) NOT NULL,
    `maxSites` INTEGER NOT NULL,
    `maxDomains` INTEGER NOT NULL,
    `maxDatabases` INTEGER NOT NULL,
    `maxCronJobs` INTEGER NOT NULL,
    `storageGiB` INTEGER NOT NULL,
    `cpuMillicores` INTEGER NOT NULL,
    `memoryMiB` INTEGER NOT NULL,
    `backupsKept` INTEGER NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Plan_ownerAccountId_name_key`(`ownerAccountId`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Allotment` (
    `id` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `maxSites` INTEGER NOT NULL,
    `maxDomains` INTEGER NOT NULL,
    `maxDatabases` INTEGER NOT NULL,
    `maxCronJobs` INTEGER NOT NULL,
    `storageGiB` INTEGER NOT NULL,
    `cpuMillicores` INTEGER NOT NULL,
    `memoryMiB` INTEGER NOT NULL,
    `backupsKept` INTEGER NOT NULL,
    `oversellRatio` DOUBLE NOT NULL DEFAULT 1,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Allotment_accountId_key`(`accountId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Invite` (
    `id` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `role` ENUM('OWNER', 'ADMIN', 'DEVELOPER', 'VIEWER') NOT NULL,
    `email` VARCHAR(254) NULL,
    `tokenHash` VARCHAR(64) NOT NULL,
    `createdByUserId` VARCHAR(32) NOT NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `acceptedAt` DATETIME(3) NULL,
    `acceptedByUserId` VARCHAR(32) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `Invite_tokenHash_key`(`tokenHash`),
    INDEX `Invite_accountId_idx`(`accountId`),
    INDEX `Invite_createdByUserId_idx`(`createdByUserId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateIndex
CREATE INDEX `Account_planId_idx` ON `Account`(`planId`);

-- AddForeignKey
ALTER TABLE `Account` ADD CONSTRAINT `Account_planId_fkey` FOREIGN KEY (`planId`) REFERENCES `Plan`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Plan` ADD CONSTRAINT `Plan_ownerAccountId_fkey` FOREIGN KEY (`ownerAccountId`) REFERENCES `Account`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Allotment` ADD CONSTRAINT `Allotment_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Invite` ADD CONSTRAINT `Invite_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Invite` ADD CONSTRAINT `Invite_createdByUserId_fkey` FOREIGN KEY (`createdByUserId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
