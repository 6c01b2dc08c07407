import { canViewAccount } from "@/lib/authz/permissions";
import { authorizeAccountAccess } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { type SiteView, siteViewInclude, toSiteView } from "@/lib/views";

/**
 * The account's sites by name, including those being deleted (phase DELETING). Three statements:
 * the authorization (which also reads the account's slug, which every view carries), the sites and
 * their domains. The authorization is the scope: only this account's sites are read.
 */
export async function listSites(options: { actor: Actor; accountId: string }): Promise<SiteView[]> {
  const { actor, accountId } = options;
  const { slug } = await authorizeAccountAccess({
    actor,
    accountId,
    permission: canViewAccount,
    action: "view this account",
  });
  const sites = await prisma.site.findMany({
    where: { accountId },
    include: { domains: siteViewInclude.domains },
    orderBy: [{ name: "asc" }],
  });
  return sites.map((site) => toSiteView({ ...site, account: { slug } }));
}
