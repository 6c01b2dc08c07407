-- AlterTable
ALTER TABLE `Plan` ADD COLUMN `archivedAt` DATETIME(3) NULL;

-- CreateTable
CREATE TABLE `Brand` (
    `id` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `name` VARCHAR(80) NOT NULL,
    `primaryColor` CHAR(7) NOT NULL,
    `logo` MEDIUMBLOB NULL,
    `logoContentType` VARCHAR(40) NULL,
    `logoSha256` CHAR(64) NULL,
    `hostname` VARCHAR(253) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Brand_accountId_key`(`accountId`),
    UNIQUE INDEX `Brand_hostname_key`(`hostname`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `Brand` ADD CONSTRAINT `Brand_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
