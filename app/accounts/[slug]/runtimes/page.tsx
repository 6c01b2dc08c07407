import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { RuntimesPanel } from "@/components/runtimes/runtimes-panel";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageRuntimes } from "@/lib/authz/permissions";
import { listRuntimeImages } from "@/lib/services/runtime/list-runtime-images";
import { loadAccount } from "../load-account";

export const metadata: Metadata = { title: "Runtimes" };

export default async function RuntimesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
  if (!accountAreas(account).runtimes) notFound();
  const runtimes = (await listRuntimeImages({ actor })).map(toJson);
  return (
    <>
      <PageHeader title="Runtimes" description="The images sites run on, one per PHP version." />
      <RuntimesPanel runtimes={runtimes} canManage={canManageRuntimes(account.role)} />
    </>
  );
}
