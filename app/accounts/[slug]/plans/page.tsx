import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { PlansPanel } from "@/components/plans/plans-panel";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManagePlans } from "@/lib/authz/permissions";
import { listPlans } from "@/lib/services/plan/list-plans";
import { loadAccount } from "../load-account";

export const metadata: Metadata = { title: "Plans" };

export default async function PlansPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
  if (!accountAreas(account).plans) notFound();
  const plans = (await listPlans({ actor, ownerAccountId: account.id })).map(toJson);
  return (
    <>
      <PageHeader title="Plans" description={`The hosting packages ${account.name} offers.`} />
      <PlansPanel account={account} plans={plans} canManage={canManagePlans(account.role)} />
    </>
  );
}
