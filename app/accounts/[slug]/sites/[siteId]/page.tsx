import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { SiteDetail } from "@/components/sites/site-detail";
import { SiteSettingsForm } from "@/components/sites/site-settings-form";
import { toSiteJson } from "@/lib/api/json";
import { canUpdateSite } from "@/lib/authz/permissions";
import { isAppError } from "@/lib/errors";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { listOfferedRuntimes } from "@/lib/services/runtime/list-offered-runtimes";
import { getSite } from "@/lib/services/site/get-site";
import { loadAccount } from "../../load-account";

export const metadata: Metadata = { title: "Site" };

export default async function SitePage({ params }: { params: Promise<{ slug: string; siteId: string }> }) {
  const { slug, siteId } = await params;
  const { actor, account } = await loadAccount(slug);
  const site = await getSite({ actor, siteId }).catch((err: unknown) => {
    if (isAppError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  // The site lives in another account the user can reach: show it under that account.
  if (site.accountSlug !== slug) redirect(`/accounts/${site.accountSlug}/sites/${site.id}`);
  const [runtimes, quota] = await Promise.all([
    listOfferedRuntimes({ actor, accountId: site.accountId }),
    getAccountQuota({ actor, accountId: site.accountId }),
  ]);
  const json = toSiteJson(site);
  return (
    <SiteDetail
      initialSite={json}
      settings={
        <SiteSettingsForm
          initialSite={json}
          runtimes={runtimes}
          quota={quota}
          canEdit={canUpdateSite(account.role)}
        />
      }
    />
  );
}
