-- Per-site settings, editable after creation. The defaults are what every site ran with before:
-- 384 MiB for PHP, a 5 GiB volume, one pod, 100m CPU guaranteed (bursting to 4x).
-- AlterTable
ALTER TABLE `Site` ADD COLUMN `cpuMillicores` INTEGER NOT NULL DEFAULT 100,
    ADD COLUMN `memoryMiB` INTEGER NOT NULL DEFAULT 384,
    ADD COLUMN `storageGiB` INTEGER NOT NULL DEFAULT 5,
    ADD COLUMN `replicas` INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN `phpSettings` JSON NULL,
    ADD COLUMN `envVars` JSON NULL;
