-- AlterTable
ALTER TABLE `Invite` ADD COLUMN `registeredAt` DATETIME(3) NULL;

-- CreateTable
CREATE TABLE `SignInThrottle` (
    `kind` ENUM('EMAIL_AND_ADDRESS', 'ADDRESS') NOT NULL,
    `keyHash` CHAR(64) NOT NULL,
    `failures` INTEGER NOT NULL,
    `windowStartedAt` DATETIME(3) NOT NULL,
    `nextAllowedAt` DATETIME(3) NOT NULL,

    INDEX `SignInThrottle_windowStartedAt_idx`(`windowStartedAt`),
    PRIMARY KEY (`kind`, `keyHash`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
