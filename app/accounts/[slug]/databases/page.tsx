import { notFound } from "next/navigation";
import { DatabasesPanel } from "@/components/databases/databases-panel";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageDatabases } from "@/lib/authz/permissions";
import { sectionTitle } from "@/lib/glossary";
import { listDatabases } from "@/lib/services/database/list-databases";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("databases");

export default async function DatabasesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).databases) notFound();
  const overview = toJson(await listDatabases({ actor, accountId: account.id }));
  return (
    <>
      <PageHeader
        title={sectionTitle("databases", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "databases")}
        description="Databases, their users and who may reach what."
      />
      <DatabasesPanel initial={overview} canManage={canManageDatabases(account.role)} />
    </>
  );
}
