-- CreateTable
CREATE TABLE `Account` (
    `id` VARCHAR(32) NOT NULL,
    `slug` VARCHAR(40) NOT NULL,
    `name` VARCHAR(120) NOT NULL,
    `kind` ENUM('PLATFORM', 'RESELLER', 'AGENCY', 'CUSTOMER') NOT NULL,
    `status` ENUM('ACTIVE', 'SUSPENDED') NOT NULL DEFAULT 'ACTIVE',
    `parentId` VARCHAR(32) NULL,
    `path` VARCHAR(400) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Account_slug_key`(`slug`),
    INDEX `Account_parentId_idx`(`parentId`),
    INDEX `Account_path_idx`(`path`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `User` (
    `id` VARCHAR(32) NOT NULL,
    `email` VARCHAR(254) NOT NULL,
    `name` VARCHAR(120) NOT NULL,
    `passwordHash` VARCHAR(255) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `User_email_key`(`email`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Membership` (
    `id` VARCHAR(32) NOT NULL,
    `userId` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `role` ENUM('OWNER', 'ADMIN', 'DEVELOPER', 'VIEWER') NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `Membership_accountId_idx`(`accountId`),
    UNIQUE INDEX `Membership_userId_accountId_key`(`userId`, `accountId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Site` (
    `id` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NOT NULL,
    `name` VARCHAR(40) NOT NULL,
    `app` ENUM('WORDPRESS', 'PHP') NOT NULL DEFAULT 'WORDPRESS',
    `phpVersion` VARCHAR(8) NOT NULL,
    `generation` INTEGER NOT NULL DEFAULT 1,
    `observedGeneration` INTEGER NOT NULL DEFAULT 0,
    `phase` ENUM('PROVISIONING', 'RUNNING', 'DEGRADED', 'DELETING') NOT NULL DEFAULT 'PROVISIONING',
    `conditions` JSON NOT NULL,
    `deletionRequestedAt` DATETIME(3) NULL,
    `secretsCiphertext` TEXT NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Site_accountId_name_key`(`accountId`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Domain` (
    `id` VARCHAR(32) NOT NULL,
    `siteId` VARCHAR(32) NOT NULL,
    `hostname` VARCHAR(253) NOT NULL,
    `isPrimary` BOOLEAN NOT NULL DEFAULT false,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `Domain_hostname_key`(`hostname`),
    INDEX `Domain_siteId_idx`(`siteId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `ChangeLog` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `kind` VARCHAR(40) NOT NULL,
    `objectId` VARCHAR(32) NOT NULL,
    `accountId` VARCHAR(32) NULL,
    `action` ENUM('CREATED', 'UPDATED', 'STATUS', 'DELETED') NOT NULL,
    `actorUserId` VARCHAR(32) NULL,
    `actorIp` VARCHAR(45) NULL,
    `data` JSON NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `ChangeLog_kind_objectId_idx`(`kind`, `objectId`),
    INDEX `ChangeLog_accountId_id_idx`(`accountId`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `Account` ADD CONSTRAINT `Account_parentId_fkey` FOREIGN KEY (`parentId`) REFERENCES `Account`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Membership` ADD CONSTRAINT `Membership_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Membership` ADD CONSTRAINT `Membership_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Site` ADD CONSTRAINT `Site_accountId_fkey` FOREIGN KEY (`accountId`) REFERENCES `Account`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `Domain` ADD CONSTRAINT `Domain_siteId_fkey` FOREIGN KEY (`siteId`) REFERENCES `Site`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
