-- CreateTable
CREATE TABLE `ApiObjectMeta` (
    `kind` VARCHAR(40) NOT NULL,
    `objectId` VARCHAR(32) NOT NULL,
    `labels` JSON NULL,
    `annotations` JSON NULL,
    `managedFields` JSON NULL,
    `updatedAt` DATETIME(3) NOT NULL,

    PRIMARY KEY (`kind`, `objectId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
