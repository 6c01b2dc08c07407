import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DatabaseServersPanel } from "@/components/databases/database-servers-panel";
import { PageHeader } from "@/components/page-header";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageDatabaseServers } from "@/lib/authz/permissions";
import { listDatabaseServers } from "@/lib/services/database/list-database-servers";
import { loadAccount } from "../load-account";

export const metadata: Metadata = { title: "Database servers" };

export default async function DatabaseServersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
  if (!accountAreas(account).databaseServers) notFound();
  const servers = (await listDatabaseServers({ actor })).map(toJson);
  return (
    <>
      <PageHeader title="Database servers" description="Where the accounts' databases live." />
      <DatabaseServersPanel servers={servers} canManage={canManageDatabaseServers(account.role)} />
    </>
  );
}
