import { canViewRuntimes } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { newestFirst } from "@/lib/services/runtime/runtime-catalog";
import { type RuntimeImageView, toRuntimeImageView } from "@/lib/services/runtime/runtime-view";

/** The whole runtime catalog, newest version first, with how many sites use each version. */
export async function listRuntimeImages(options: { actor: Actor }): Promise<RuntimeImageView[]> {
  await authorizePlatformOperator({
    actor: options.actor,
    permission: canViewRuntimes,
    action: "view the runtime catalog",
    notFound: "Runtime catalog not found.",
  });
  const [rows, usage] = await Promise.all([
    prisma.runtimeImage.findMany(),
    prisma.site.groupBy({ by: ["phpVersion"], _count: { _all: true } }),
  ]);
  const sitesOn = new Map(usage.map((u) => [u.phpVersion, u._count._all]));
  return newestFirst(rows).map((row) => toRuntimeImageView(row, sitesOn.get(row.phpVersion) ?? 0));
}
