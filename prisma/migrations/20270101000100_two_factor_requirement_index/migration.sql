-- The two-factor requirement is read with every session and API token check: with this index only
-- the accounts that require it are read (a scan of every account before).
-- CreateIndex
CREATE INDEX `Account_requireTwoFactor_path_idx` ON `Account`(`requireTwoFactor`, `path`);
