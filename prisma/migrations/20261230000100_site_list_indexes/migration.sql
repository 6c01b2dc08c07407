-- CreateIndex
CREATE INDEX `Site_phase_name_idx` ON `Site`(`phase`, `name`);

-- CreateIndex
CREATE INDEX `Site_createdAt_idx` ON `Site`(`createdAt`);
