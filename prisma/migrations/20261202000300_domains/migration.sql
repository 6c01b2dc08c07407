-- AlterTable
ALTER TABLE `Domain` ADD COLUMN `redirectToPrimary` BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN `tlsStatus` JSON NULL;

-- AlterTable
ALTER TABLE `Site` ADD COLUMN `forceHttps` BOOLEAN NOT NULL DEFAULT false;
