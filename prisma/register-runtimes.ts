/**
 * `tsx prisma/register-runtimes.ts <file.json>`: puts runtime images an installation built into the
 * runtime catalog of DATABASE_URL (migrated first). The file lists them:
 *   [{ "phpVersion": "8.2", "image": "sitepod.local/runtime:php8.2", "label": "Debian 12" }]
 * (label optional). A new version is added and offered; a known one gets the new image and keeps
 * whether the operator offers it. Idempotent; a bad file changes nothing and says what is wrong.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createPrismaClient, DEFAULT_DATABASE_URL } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { registerRuntimeImages } from "@/lib/services/runtime/register-runtime-images";

export async function readRegistrationFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new Error(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    throw new Error(
      'Usage: tsx prisma/register-runtimes.ts <file.json>, the file listing [{ "phpVersion": "8.2", "image": "..." }]',
    );
  }
  const entries = await readRegistrationFile(file);
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  await migrateDatabase({ url });
  const prisma = createPrismaClient(url);
  try {
    await registerRuntimeImages({ db: prisma, entries, log });
  } finally {
    await prisma.$disconnect();
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  main().catch((err: unknown) => {
    // A bad file: say which entry and field, not a stack trace.
    if (isAppError(err))
      log.error("runtime registration refused", { message: err.message, fields: err.fieldErrors });
    else log.error("runtime registration failed", { err });
    process.exitCode = 1;
  });
}
