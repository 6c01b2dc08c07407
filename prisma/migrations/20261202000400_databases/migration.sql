-- Database servers (operator), the accounts' databases and users on them, grants, and the
-- attachment of a database's credentials to a site.

-- CreateTable
CREATE TABLE `DatabaseServer` (
    `id` VARCHAR(32) NOT NULL,
    `name` VARCHAR(80) NOT NULL,
    `engine` ENUM('MYSQL', 'POSTGRESQL') NOT NULL,
    `host` VARCHAR(253) NOT NULL,
    `port` INTEGER NOT NULL,
    `adminUser` VARCHAR(80) NOT NULL,
    `adminPasswordCiphertext` TEXT NULL,
    `podHost` VARCHAR(253) NULL,
    `podPort` INTEGER NULL,
    `enabled` BOOLEAN NOT NULL DEFAULT true,
    `conditions` JSON NULL,
    `lastCheckedAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `DatabaseServer_name_key`(`name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Database` (
    `id` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `serverId` VARCHAR(32) NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `generation` INTEGER NOT NULL DEFAULT 1,
    `observedGeneration` INTEGER NOT NULL DEFAULT 0,
    `conditions` JSON NOT NULL,
    `provisionedAt` DATETIME(3) NULL,
    `sizeBytes` BIGINT NULL,
    `sizeObservedAt` DATETIME(3) NULL,
    `deletionRequestedAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `Database_accountId_idx`(`accountId`),
    UNIQUE INDEX `Database_serverId_name_key`(`serverId`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `DatabaseUser` (
    `id` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `serverId` VARCHAR(32) NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `passwordCiphertext` TEXT NOT NULL,
    `generation` INTEGER NOT NULL DEFAULT 1,
    `observedGeneration` INTEGER NOT NULL DEFAULT 0,
    `conditions` JSON NOT NULL,
    `provisionedAt` DATETIME(3) NULL,
    `deletionRequestedAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `DatabaseUser_accountId_idx`(`accountId`),
    UNIQUE INDEX `DatabaseUser_serverId_name_key`(`serverId`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `DatabaseGrant` (
    `id` VARCHAR(32) NOT NULL,
    `databaseId` VARCHAR(32) NOT NULL,
    `userId` VARCHAR(32) NOT NULL,
    `appliedAt` DATETIME(3) NULL,
    `revokeRequestedAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `DatabaseGrant_userId_idx`(`userId`),
    UNIQUE INDEX `DatabaseGrant_databaseId_userId_key`(`databaseId`, `userId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `SiteDatabaseAttachment` (
    `id` VARCHAR(32) NOT NULL,
    `siteId` VARCHAR(32) NOT NULL,
    `databaseId` VARCHAR(32) NOT NULL,
    `userId` VARCHAR(32) NOT NULL,
    `envPrefix` VARCHAR(32) NOT NULL DEFAULT '',
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `SiteDatabaseAttachment_databaseId_idx`(`databaseId`),
    INDEX `SiteDatabaseAttachment_userId_idx`(`userId`),
    UNIQUE INDEX `SiteDatabaseAttachment_siteId_envPrefix_key`(`siteId`, `envPrefix`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `Database` ADD CONSTRAINT `Database_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE `Database` ADD CONSTRAINT `Database_serverId_fkey` FOREIGN KEY (`serverId`) REFERENCES `DatabaseServer`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE `DatabaseUser` ADD CONSTRAINT `DatabaseUser_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE `DatabaseUser` ADD CONSTRAINT `DatabaseUser_serverId_fkey` FOREIGN KEY (`serverId`) REFERENCES `DatabaseServer`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE `DatabaseGrant` ADD CONSTRAINT `DatabaseGrant_databaseId_fkey` FOREIGN KEY (`databaseId`) REFERENCES `Database`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `DatabaseGrant` ADD CONSTRAINT `DatabaseGrant_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `DatabaseUser`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `SiteDatabaseAttachment` ADD CONSTRAINT `SiteDatabaseAttachment_siteId_fkey` FOREIGN KEY (`siteId`) REFERENCES `Site`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `SiteDatabaseAttachment` ADD CONSTRAINT `SiteDatabaseAttachment_databaseId_fkey` FOREIGN KEY (`databaseId`) REFERENCES `Database`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `SiteDatabaseAttachment` ADD CONSTRAINT `SiteDatabaseAttachment_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `DatabaseUser`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
