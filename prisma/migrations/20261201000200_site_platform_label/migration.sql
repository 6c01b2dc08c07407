-- AlterTable
ALTER TABLE `Site` ADD COLUMN `platformLabel` VARCHAR(63) NULL;

-- CreateIndex
CREATE UNIQUE INDEX `Site_platformLabel_key` ON `Site`(`platformLabel`);
