import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ClientSitesTable } from "@/components/client-sites/client-sites-table";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { toJson } from "@/lib/api/json";
import { accountAreas } from "@/lib/authz/permissions";
import { BELOW_NAMES, sectionTitle } from "@/lib/glossary";
import { listClientSites } from "@/lib/services/site/list-client-sites";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("clientSites");

export default async function ClientSitesPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).clientSites) notFound();
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    if (typeof value === "string") query.set(key, value);
  }
  const page = toJson(
    await listClientSites({ actor, accountId: account.id, input: Object.fromEntries(query) }),
  );
  const below = BELOW_NAMES[account.kind];
  return (
    <>
      <PageHeader
        title={sectionTitle("clientSites", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "clientSites")}
        description={`The sites of every ${below.singular} of ${account.name}, with their live status. Open a site, or its ${below.singular}'s account to work in it.`}
      />
      <Suspense>
        <ClientSitesTable account={account} initialQuery={query.toString()} initialPage={page} />
      </Suspense>
    </>
  );
}
