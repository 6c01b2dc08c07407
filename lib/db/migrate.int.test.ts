import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import mariadb from "mariadb";
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "@/lib/log";
import { dropDatabase, testDatabaseUrl } from "@/tests/helpers/db";
import { DEFAULT_MIGRATIONS_DIR, migrateDatabase, parseDatabaseUrl } from "./migrate";

// The failure below is expected; keep its error log out of the test output.
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

const urls: string[] = [];
function freshUrl(): string {
  const url = testDatabaseUrl(`sitepod_t_${Math.random().toString(16).slice(2, 14)}`);
  urls.push(url);
  return url;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const p = parseDatabaseUrl(url);
  const conn = await mariadb.createConnection({ ...p });
  try {
    return (await conn.query(sql)) as T[];
  } finally {
    await conn.end();
  }
}

async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "sitepod-migrations-"));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

afterEach(async () => {
  for (const url of urls.splice(0)) await dropDatabase(url);
});

describe("migrateDatabase", () => {
  it("creates the database, applies every migration once and records it like Prisma", async () => {
    const url = freshUrl();
    const first = await migrateDatabase({ url });
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await migrateDatabase({ url });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      url,
      "SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(Number(row.applied_steps_count)).toBe(1);
    }
  });

  it("applies a new migration later and refuses when an applied one was edited", async () => {
    const url = freshUrl();
    const dir = await copyMigrations();
    await migrateDatabase({ url, migrationsDir: dir });

    const added = "29991231000000_add_note";
    await mkdir(path.join(dir, added));
    await writeFile(
      path.join(dir, added, "migration.sql"),
      "ALTER TABLE `Site` ADD COLUMN `note` VARCHAR(10) NULL;\n",
    );
    const later = await migrateDatabase({ url, migrationsDir: dir });
    expect(later.applied).toEqual([added]);

    await writeFile(
      path.join(dir, added, "migration.sql"),
      "ALTER TABLE `Site` ADD COLUMN `note2` INT NULL;\n",
    );
    await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toThrow(
      `Migration ${added} was modified after it was applied`,
    );
  });

  it("records a failed migration and refuses to continue until it is resolved", async () => {
    const url = freshUrl();
    const dir = await copyMigrations();
    const broken = "29991231000000_broken";
    await mkdir(path.join(dir, broken));
    await writeFile(path.join(dir, broken, "migration.sql"), "ALTER TABLE `Nope` ADD COLUMN `x` INT;\n");
    await expect(migrateDatabase({ url, migrationsDir: dir, log: quiet })).rejects.toThrow(
      `Migration ${broken} failed`,
    );
    const [row] = await query<{ logs: string | null; finished_at: Date | null }>(
      url,
      `SELECT logs, finished_at FROM _prisma_migrations WHERE migration_name = '${broken}'`,
    );
    expect(row?.finished_at).toBeNull();
    expect(row?.logs).toContain("Nope");
    await expect(migrateDatabase({ url, migrationsDir: dir })).rejects.toThrow(
      "failed earlier; resolve it by hand",
    );
  });
});
