-- AlterTable
ALTER TABLE `User` ADD COLUMN `emailVerifiedAt` DATETIME(3) NULL;

-- AlterTable
ALTER TABLE `Invite` ADD COLUMN `emailedAt` DATETIME(3) NULL;

-- AlterTable
ALTER TABLE `SignInThrottle` MODIFY `kind` ENUM('EMAIL_AND_ADDRESS', 'ADDRESS', 'MAIL_EMAIL', 'MAIL_ADDRESS') NOT NULL;

-- CreateTable
CREATE TABLE `EmailToken` (
    `id` VARCHAR(32) NOT NULL,
    `userId` VARCHAR(32) NOT NULL,
    `purpose` ENUM('PASSWORD_RESET', 'VERIFY_EMAIL') NOT NULL,
    `email` VARCHAR(254) NOT NULL,
    `tokenHash` VARCHAR(64) NOT NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `usedAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `EmailToken_tokenHash_key`(`tokenHash`),
    INDEX `EmailToken_userId_idx`(`userId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `EmailToken` ADD CONSTRAINT `EmailToken_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
