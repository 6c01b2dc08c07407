import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { RuntimesPanel } from "@/components/runtimes/runtimes-panel";
import { accountCrumbs } from "@/components/shell/account-trail";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageRuntimes } from "@/lib/authz/permissions";
import { sectionTitle } from "@/lib/glossary";
import { listRuntimeImages } from "@/lib/services/runtime/list-runtime-images";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("runtimes");

export default async function RuntimesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).runtimes) notFound();
  const runtimes = (await listRuntimeImages({ actor })).map(toJson);
  return (
    <>
      <PageHeader
        title={sectionTitle("runtimes", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "runtimes")}
        description="The images sites run on, one per PHP version."
      />
      <RuntimesPanel runtimes={runtimes} canManage={canManageRuntimes(account.role)} />
    </>
  );
}
