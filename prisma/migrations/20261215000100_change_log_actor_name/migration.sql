-- AlterTable
ALTER TABLE `ChangeLog` ADD COLUMN `actorName` VARCHAR(255) NULL;
