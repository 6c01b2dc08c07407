import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DatabasesPanel } from "@/components/databases/databases-panel";
import { PageHeader } from "@/components/page-header";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageDatabases } from "@/lib/authz/permissions";
import { listDatabases } from "@/lib/services/database/list-databases";
import { loadAccount } from "../load-account";

export const metadata: Metadata = { title: "Databases" };

export default async function DatabasesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
  if (!accountAreas(account).databases) notFound();
  const overview = toJson(await listDatabases({ actor, accountId: account.id }));
  return (
    <>
      <PageHeader title="Databases" description="Databases, their users and who may reach what." />
      <DatabasesPanel initial={overview} canManage={canManageDatabases(account.role)} />
    </>
  );
}
