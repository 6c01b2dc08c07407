import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { SitesTable } from "@/components/sites/sites-table";
import { toSiteJson } from "@/lib/api/json";
import { sectionTitle } from "@/lib/glossary";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { listSites } from "@/lib/services/site/list-sites";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("sites");

export default async function SitesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  const [sites, quota] = await Promise.all([
    listSites({ actor, accountId: account.id }).then((rows) => rows.map(toSiteJson)),
    getAccountQuota({ actor, accountId: account.id }),
  ]);
  return (
    <>
      <PageHeader
        title={sectionTitle("sites", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "sites")}
        description="Your websites, their domains and their status."
      />
      <SitesTable account={account} initialSites={sites} initialQuota={quota} />
    </>
  );
}
