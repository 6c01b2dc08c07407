/** `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (created when missing). */
import { DEFAULT_DATABASE_URL } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { log } from "@/lib/log";

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

migrateDatabase({ url })
  .then((result) => {
    log.info("migrations done", { database: result.database, applied: result.applied.length });
  })
  .catch((err: unknown) => {
    log.error("migrations failed", { err });
    process.exitCode = 1;
  });
