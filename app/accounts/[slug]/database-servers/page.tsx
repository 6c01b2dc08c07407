import { notFound } from "next/navigation";
import { DatabaseServersPanel } from "@/components/databases/database-servers-panel";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageDatabaseServers } from "@/lib/authz/permissions";
import { sectionTitle } from "@/lib/glossary";
import { listDatabaseServers } from "@/lib/services/database/list-database-servers";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("databaseServers");

export default async function DatabaseServersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).databaseServers) notFound();
  const servers = (await listDatabaseServers({ actor })).map(toJson);
  return (
    <>
      <PageHeader
        title={sectionTitle("databaseServers", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "databaseServers")}
        description="Where the accounts' databases live."
      />
      <DatabaseServersPanel servers={servers} canManage={canManageDatabaseServers(account.role)} />
    </>
  );
}
