-- AlterTable
ALTER TABLE `Site` ADD COLUMN `title` VARCHAR(120) NOT NULL DEFAULT '',
    ADD COLUMN `installGeneration` INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN `installedAt` DATETIME(3) NULL;

-- Existing sites are titled after their name, as new ones are by default.
UPDATE `Site` SET `title` = `name`;

-- The default only served the rows above: the service always writes a title.
ALTER TABLE `Site` ALTER COLUMN `title` DROP DEFAULT;
