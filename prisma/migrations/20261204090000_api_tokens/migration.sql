-- API tokens: credentials for scripts and tools, stored as a SHA-256 hash, looked up by the public
-- id they embed; and the addresses each token has been used from (a new one is audited).

-- CreateTable
CREATE TABLE `ApiToken` (
    `id` VARCHAR(16) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `userId` VARCHAR(32) NOT NULL,
    `name` VARCHAR(80) NOT NULL,
    `role` ENUM('OWNER', 'ADMIN', 'DEVELOPER', 'VIEWER') NOT NULL,
    `secretHash` CHAR(64) NOT NULL,
    `purpose` VARCHAR(20) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `expiresAt` DATETIME(3) NULL,
    `revokedAt` DATETIME(3) NULL,
    `revokedByUserId` VARCHAR(32) NULL,
    `lastUsedAt` DATETIME(3) NULL,
    `lastUsedIp` VARCHAR(45) NULL,

    INDEX `ApiToken_accountId_userId_idx`(`accountId`, `userId`),
    INDEX `ApiToken_userId_idx`(`userId`),
    INDEX `ApiToken_revokedByUserId_idx`(`revokedByUserId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ApiTokenAddress` (
    `tokenId` VARCHAR(16) NOT NULL,
    `address` VARCHAR(45) NOT NULL,
    `firstSeenAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`tokenId`, `address`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `ApiToken` ADD CONSTRAINT `ApiToken_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `ApiToken` ADD CONSTRAINT `ApiToken_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `ApiToken` ADD CONSTRAINT `ApiToken_revokedByUserId_fkey` FOREIGN KEY (`revokedByUserId`) REFERENCES `User`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `ApiTokenAddress` ADD CONSTRAINT `ApiTokenAddress_tokenId_fkey` FOREIGN KEY (`tokenId`) REFERENCES `ApiToken`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
