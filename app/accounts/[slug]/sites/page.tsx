import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { SitesTable } from "@/components/sites/sites-table";
import { toSiteJson } from "@/lib/api/json";
import { listSites } from "@/lib/services/site/list-sites";
import { loadAccount } from "../load-account";

export const metadata: Metadata = { title: "Sites" };

export default async function SitesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
  const sites = (await listSites({ actor, accountId: account.id })).map(toSiteJson);
  return (
    <>
      <PageHeader title="Sites" description="Your websites, their domains and their status." />
      <SitesTable account={account} initialSites={sites} />
    </>
  );
}
