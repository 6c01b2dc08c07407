import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AllotmentCard, CustomersPanel } from "@/components/accounts/customers-panel";
import { PageHeader } from "@/components/page-header";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageChildAccounts, sellsPlans } from "@/lib/authz/permissions";
import { CHILD_KINDS } from "@/lib/services/account/create-account";
import { getAllotmentUsage } from "@/lib/services/account/get-allotment-usage";
import { listDescendantAccounts } from "@/lib/services/account/list-descendant-accounts";
import { listPlans } from "@/lib/services/plan/list-plans";
import { customersBelowNeedPlan } from "@/lib/services/quota/allotment-above";
import { loadAccount } from "../load-account";

export const metadata: Metadata = { title: "Accounts" };

const TITLES = {
  PLATFORM: "Accounts",
  RESELLER: "Customers",
  AGENCY: "Clients",
  CUSTOMER: "Accounts",
} as const;

export default async function CustomersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
  if (!accountAreas(account).accountsBelow) notFound();
  const [entries, plans, allotment, planRequired] = await Promise.all([
    listDescendantAccounts({ actor, accountId: account.id }),
    sellsPlans(account.kind) ? listPlans({ actor, ownerAccountId: account.id }) : Promise.resolve([]),
    getAllotmentUsage({ actor, accountId: account.id }),
    customersBelowNeedPlan(account.id),
  ]);
  const title = TITLES[account.kind];
  return (
    <>
      <PageHeader
        title={title}
        description={
          account.kind === "PLATFORM"
            ? "Every reseller, agency and customer on the platform."
            : `The accounts ${account.name} hosts, their plans and their state.`
        }
      />
      <AllotmentCard usage={toJson(allotment)} />
      <CustomersPanel
        account={account}
        entries={entries.map(toJson)}
        plans={plans.map(toJson)}
        childKinds={CHILD_KINDS[account.kind]}
        canManage={canManageChildAccounts(account.role)}
        customersNeedPlan={planRequired}
        title={title}
      />
    </>
  );
}
