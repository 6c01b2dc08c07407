-- CreateTable
CREATE TABLE `RuntimeImage` (
    `id` VARCHAR(32) NOT NULL,
    `phpVersion` VARCHAR(8) NOT NULL,
    `image` VARCHAR(255) NOT NULL,
    `label` VARCHAR(80) NULL,
    `enabled` BOOLEAN NOT NULL DEFAULT true,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `RuntimeImage_phpVersion_key`(`phpVersion`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
