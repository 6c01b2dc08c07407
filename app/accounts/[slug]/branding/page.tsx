import { notFound } from "next/navigation";
import { BrandForm } from "@/components/brand/brand-form";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { LiveRefresh } from "@/components/shell/live-refresh";
import { toJson } from "@/lib/api/json";
import { accountAreas, canManageBrand } from "@/lib/authz/permissions";
import { BELOW_NAMES, sectionTitle } from "@/lib/glossary";
import { getBrand } from "@/lib/services/brand/get-brand";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("brand");

export default async function BrandingPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).brand) notFound();
  const brand = await getBrand({ actor, accountId: account.id });
  const below = BELOW_NAMES[account.kind].plural.toLowerCase();
  return (
    <>
      <PageHeader
        title={sectionTitle("brand", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "brand")}
        description={`Your name, logo and colour in the panel of your ${below}, instead of Sitepod's, and optionally your own panel address.`}
      />
      {/* Live: the saved logo and branding changed in another tab (the form keeps what is being typed). */}
      <LiveRefresh kinds={["Brand"]} />
      <BrandForm
        account={account}
        brand={brand ? toJson(brand) : null}
        canManage={canManageBrand(account.role)}
      />
    </>
  );
}
