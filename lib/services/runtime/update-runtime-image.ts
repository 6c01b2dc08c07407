import { canManageRuntimes } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import {
  type RuntimeImageView,
  runtimeSummaryData,
  toRuntimeImageView,
} from "@/lib/services/runtime/runtime-view";
import { parseInput } from "@/lib/validation/parse-input";
import { updateRuntimeImageSchema } from "@/lib/validation/runtime";

const NOT_FOUND = "Runtime image not found.";

/** "image sitepod.local/runtime:php8.4, offered again" */
function describeChanges(
  before: { image: string; label: string | null; enabled: boolean },
  after: { image: string; label: string | null; enabled: boolean },
): string {
  const parts: string[] = [];
  if (before.image !== after.image) parts.push(`image ${after.image}`);
  if (before.label !== after.label) parts.push(after.label ? `label "${after.label}"` : "no label");
  if (before.enabled !== after.enabled) parts.push(after.enabled ? "offered again" : "no longer offered");
  return parts.join(", ");
}

/**
 * The platform operator changes a catalog entry: its image (every site on the version rolls to it),
 * its label, or whether new sites may choose it (sites already on it keep running). A call that
 * changes nothing writes nothing.
 */
export async function updateRuntimeImage(options: {
  actor: Actor;
  runtimeImageId: string;
  input: unknown;
}): Promise<RuntimeImageView> {
  const { actor } = options;
  const { platformAccountId } = await authorizePlatformOperator({
    actor,
    permission: canManageRuntimes,
    action: "manage the runtime catalog",
    notFound: NOT_FOUND,
  });
  const input = parseInput(updateRuntimeImageSchema, options.input);
  const { row, siteCount, changed } = await prisma.$transaction(async (tx) => {
    const before = await tx.runtimeImage.findUnique({ where: { id: options.runtimeImageId } });
    if (!before) throw new AppError("NOT_FOUND", NOT_FOUND);
    const next = {
      image: input.image ?? before.image,
      label: input.label === undefined ? before.label : input.label,
      enabled: input.enabled ?? before.enabled,
    };
    const summary = describeChanges(before, next);
    const siteCount = await tx.site.count({ where: { phpVersion: before.phpVersion } });
    if (summary === "") return { row: before, siteCount, changed: false };
    const updated = await tx.runtimeImage.update({ where: { id: before.id }, data: next });
    await appendChange(tx, {
      kind: "RuntimeImage",
      objectId: updated.id,
      accountId: platformAccountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: runtimeSummaryData(updated),
      summary: `Changed PHP ${updated.phpVersion} in the runtime catalog: ${summary}`,
    });
    return { row: updated, siteCount, changed: true };
  });
  if (changed) {
    log.info("runtime image changed", {
      event: "runtime.updated",
      phpVersion: row.phpVersion,
      image: row.image,
      enabled: row.enabled,
      userId: actor.userId,
    });
  }
  return toRuntimeImageView(row, siteCount);
}
