import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import { appendChange } from "@/lib/services/change-log/append-change";
import { runtimeSummaryData } from "@/lib/services/runtime/runtime-view";
import { parseInput } from "@/lib/validation/parse-input";
import { runtimeRegistrationSchema } from "@/lib/validation/runtime";

export interface RegisterResult {
  added: string[];
  changed: string[];
  unchanged: string[];
}

/**
 * Puts images an installation built itself (the local cluster's, scripts/up.mjs) into the runtime
 * catalog: a version not there yet is added and offered; a version there gets the new image and
 * label but keeps whether the operator offers it. Idempotent: an entry that is already so writes
 * nothing. Each change is in the platform's audit log, made by no user.
 */
export async function registerRuntimeImages(options: {
  db: PrismaClient;
  /** Untrusted: parsed here with runtimeRegistrationSchema. */
  entries: unknown;
  log?: Logger;
}): Promise<RegisterResult> {
  const entries = parseInput(runtimeRegistrationSchema, options.entries);
  const result: RegisterResult = { added: [], changed: [], unchanged: [] };
  for (const entry of entries) {
    await options.db.$transaction(async (tx) => {
      const platform = await tx.account.findFirst({
        where: { kind: "PLATFORM", parentId: null },
        select: { id: true },
      });
      const before = await tx.runtimeImage.findUnique({ where: { phpVersion: entry.phpVersion } });
      if (before && before.image === entry.image && (entry.label === null || before.label === entry.label)) {
        result.unchanged.push(entry.phpVersion);
        return;
      }
      const row = before
        ? await tx.runtimeImage.update({
            where: { id: before.id },
            data: { image: entry.image, ...(entry.label === null ? {} : { label: entry.label }) },
          })
        : await tx.runtimeImage.create({ data: { ...entry, enabled: true } });
      await appendChange(tx, {
        kind: "RuntimeImage",
        objectId: row.id,
        accountId: platform?.id ?? null,
        action: before ? "UPDATED" : "CREATED",
        data: runtimeSummaryData(row),
        summary: `Registered PHP ${row.phpVersion} in the runtime catalog (${row.image})`,
      });
      (before ? result.changed : result.added).push(entry.phpVersion);
    });
  }
  options.log?.info("runtime images registered", { ...result });
  return result;
}
