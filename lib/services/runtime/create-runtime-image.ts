import { canManageRuntimes } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import {
  type RuntimeImageView,
  runtimeSummaryData,
  toRuntimeImageView,
} from "@/lib/services/runtime/runtime-view";
import { parseInput } from "@/lib/validation/parse-input";
import { createRuntimeImageSchema } from "@/lib/validation/runtime";

function versionTaken(version: string): AppError {
  const message = `PHP ${version} is already in the catalog: change its image instead.`;
  return new AppError("CONFLICT", message, { phpVersion: message });
}

/**
 * The platform operator adds a PHP version to the runtime catalog with the image that runs it,
 * with a CREATED change in the platform's audit log. Enabled, new sites may choose it at once.
 */
export async function createRuntimeImage(options: {
  actor: Actor;
  input: unknown;
}): Promise<RuntimeImageView> {
  const { actor } = options;
  const { platformAccountId } = await authorizePlatformOperator({
    actor,
    permission: canManageRuntimes,
    action: "manage the runtime catalog",
    notFound: "Runtime catalog not found.",
  });
  const input = parseInput(createRuntimeImageSchema, options.input);
  try {
    const { row, siteCount } = await prisma.$transaction(async (tx) => {
      if (
        await tx.runtimeImage.findUnique({ where: { phpVersion: input.phpVersion }, select: { id: true } })
      ) {
        throw versionTaken(input.phpVersion);
      }
      const created = await tx.runtimeImage.create({ data: input });
      await appendChange(tx, {
        kind: "RuntimeImage",
        objectId: created.id,
        accountId: platformAccountId,
        action: "CREATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: runtimeSummaryData(created),
        summary: `Added PHP ${created.phpVersion} to the runtime catalog (${created.image})${created.enabled ? "" : ", not offered"}`,
      });
      // Sites may already be on the version (it was missing from the catalog): they get this image.
      return { row: created, siteCount: await tx.site.count({ where: { phpVersion: created.phpVersion } }) };
    });
    log.info("runtime image added", {
      event: "runtime.created",
      phpVersion: row.phpVersion,
      image: row.image,
      userId: actor.userId,
    });
    return toRuntimeImageView(row, siteCount);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw versionTaken(input.phpVersion);
    }
    throw err;
  }
}
