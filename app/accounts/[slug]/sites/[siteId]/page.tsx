import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { accountCrumbs } from "@/components/shell/account-trail";
import { SiteDetail } from "@/components/sites/site-detail";
import { SiteSettingsForm } from "@/components/sites/site-settings-form";
import { toSiteJson } from "@/lib/api/json";
import { canUpdateSite } from "@/lib/authz/permissions";
import { isAppError } from "@/lib/errors";
import { accountPageTitle } from "@/lib/glossary";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { listOfferedRuntimes } from "@/lib/services/runtime/list-offered-runtimes";
import { getSite } from "@/lib/services/site/get-site";
import { loadAccount } from "../../load-account";

type Params = Promise<{ slug: string; siteId: string }>;

/** The site, for the page and its tab title (one query per request). */
const loadSite = cache(async (slug: string, siteId: string) => {
  const { actor, accounts, account, panelName } = await loadAccount(slug);
  const site = await getSite({ actor, siteId }).catch((err: unknown) => {
    if (isAppError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  // The site lives in another account the user can reach: show it under that account.
  if (site.accountSlug !== slug) redirect(`/accounts/${site.accountSlug}/sites/${site.id}`);
  return { actor, accounts, account, panelName, site };
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { slug, siteId } = await params;
  const { account, panelName, site } = await loadSite(slug, siteId);
  return { title: { absolute: accountPageTitle(site.name, account, panelName) } };
}

export default async function SitePage({ params }: { params: Params }) {
  const { slug, siteId } = await params;
  const { actor, accounts, account, site } = await loadSite(slug, siteId);
  const [runtimes, quota] = await Promise.all([
    listOfferedRuntimes({ actor, accountId: site.accountId }),
    getAccountQuota({ actor, accountId: site.accountId }),
  ]);
  const json = toSiteJson(site);
  return (
    <SiteDetail
      initialSite={json}
      breadcrumbs={accountCrumbs(accounts, account, "sites", site.name)}
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
