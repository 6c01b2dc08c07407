import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { SiteDetail } from "@/components/sites/site-detail";
import { toSiteJson } from "@/lib/api/json";
import { isAppError } from "@/lib/errors";
import { getSite } from "@/lib/services/site/get-site";
import { loadAccount } from "../../load-account";

export const metadata: Metadata = { title: "Site" };

export default async function SitePage({ params }: { params: Promise<{ slug: string; siteId: string }> }) {
  const { slug, siteId } = await params;
  const { actor } = await loadAccount(slug);
  const site = await getSite({ actor, siteId }).catch((err: unknown) => {
    if (isAppError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  // The site lives in another account the user can reach: show it under that account.
  if (site.accountSlug !== slug) redirect(`/accounts/${site.accountSlug}/sites/${site.id}`);
  return <SiteDetail initialSite={toSiteJson(site)} />;
}
