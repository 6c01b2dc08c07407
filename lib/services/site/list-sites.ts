import { canViewAccount } from "@/lib/authz/permissions";
import { authorizeAccount, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { type SiteView, siteViewInclude, toSiteView } from "@/lib/views";

/** The account's sites by name, including those being deleted (phase DELETING). */
export async function listSites(options: { actor: Actor; accountId: string }): Promise<SiteView[]> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canViewAccount,
    action: "view this account",
  });
  const sites = await prisma.site.findMany({
    where: { accountId, account: await reachableAccountWhere(actor) },
    include: siteViewInclude,
    orderBy: [{ name: "asc" }],
  });
  return sites.map(toSiteView);
}
