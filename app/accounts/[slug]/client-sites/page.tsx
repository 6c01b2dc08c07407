import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ClientSitesTable } from "@/components/client-sites/client-sites-table";
import { PageHeader } from "@/components/page-header";
import { toJson } from "@/lib/api/json";
import { accountAreas } from "@/lib/authz/permissions";
import { listClientSites } from "@/lib/services/site/list-client-sites";
import { loadAccount } from "../load-account";

export const metadata: Metadata = { title: "All sites" };

export default async function ClientSitesPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
  if (!accountAreas(account).clientSites) notFound();
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    if (typeof value === "string") query.set(key, value);
  }
  const page = toJson(
    await listClientSites({ actor, accountId: account.id, input: Object.fromEntries(query) }),
  );
  return (
    <>
      <PageHeader
        title="All sites"
        description="Every site of every account below this one, with its live status. Open a client to work in it."
      />
      <Suspense>
        <ClientSitesTable account={account} initialQuery={query.toString()} initialPage={page} />
      </Suspense>
    </>
  );
}
