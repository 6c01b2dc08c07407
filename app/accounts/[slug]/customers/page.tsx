import { notFound } from "next/navigation";
import { AllotmentCard, CustomersPanel } from "@/components/accounts/customers-panel";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { LiveRefresh } from "@/components/shell/live-refresh";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageChildAccounts, sellsPlans } from "@/lib/authz/permissions";
import { BELOW_NAMES, sectionTitle } from "@/lib/glossary";
import { CHILD_KINDS } from "@/lib/services/account/create-account";
import { getAllotmentUsage } from "@/lib/services/account/get-allotment-usage";
import { listAccountOverview } from "@/lib/services/account/list-account-overview";
import { listPlans } from "@/lib/services/plan/list-plans";
import { customersBelowNeedPlan } from "@/lib/services/quota/allotment-above";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("accountsBelow");

export default async function CustomersPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).accountsBelow) notFound();
  const { q, page } = await searchParams;
  const [overview, plans, allotment, planRequired] = await Promise.all([
    // Searched and paginated in the database: a reseller may have thousands of customers.
    listAccountOverview({
      actor,
      accountId: account.id,
      input: { q: typeof q === "string" ? q : undefined, page: typeof page === "string" ? page : undefined },
    }),
    // Only the plans offered: an archived plan stays with its accounts but is chosen no more.
    sellsPlans(account.kind)
      ? listPlans({ actor, ownerAccountId: account.id, offeredOnly: true })
      : Promise.resolve([]),
    getAllotmentUsage({ actor, accountId: account.id }),
    customersBelowNeedPlan(account.id),
  ]);
  const title = sectionTitle("accountsBelow", account.kind);
  const below = BELOW_NAMES[account.kind];
  return (
    <>
      <PageHeader
        title={title}
        breadcrumbs={accountCrumbs(accounts, account, "accountsBelow")}
        description={
          account.kind === "PLATFORM"
            ? "Every reseller, agency and customer on the platform."
            : `The ${below.singular} accounts ${account.name} hosts, their plans and their state.`
        }
      />
      {/* Live: accounts created, suspended or terminated, their plans and their usage, without a reload. */}
      <LiveRefresh
        kinds={["Account", "Plan", "Site", "Domain", "Database", "CronJob"]}
        statusOf={["Account"]}
      />
      <AllotmentCard usage={toJson(allotment)} />
      <CustomersPanel
        account={account}
        overview={toJson(overview)}
        plans={plans.map(toJson)}
        childKinds={CHILD_KINDS[account.kind]}
        canManage={canManageChildAccounts(account.role)}
        customersNeedPlan={planRequired}
        title={title}
      />
    </>
  );
}
