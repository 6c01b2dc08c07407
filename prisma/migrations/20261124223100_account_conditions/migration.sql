-- AlterTable
ALTER TABLE `Account` ADD COLUMN `conditions` JSON NULL;
