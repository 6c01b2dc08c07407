import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { PlansPanel } from "@/components/plans/plans-panel";
import { accountCrumbs } from "@/components/shell/account-trail";
import { LiveRefresh } from "@/components/shell/live-refresh";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManagePlans } from "@/lib/authz/permissions";
import { sectionTitle } from "@/lib/glossary";
import { listPlans } from "@/lib/services/plan/list-plans";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("plans");

export default async function PlansPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).plans) notFound();
  const plans = (await listPlans({ actor, ownerAccountId: account.id })).map(toJson);
  return (
    <>
      <PageHeader
        title={sectionTitle("plans", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "plans")}
        description={`The hosting packages ${account.name} offers.`}
      />
      {/* Live: plans changed in another tab, and how many accounts each is sold to. */}
      <LiveRefresh kinds={["Plan", "Account"]} />
      <PlansPanel account={account} plans={plans} canManage={canManagePlans(account.role)} />
    </>
  );
}
