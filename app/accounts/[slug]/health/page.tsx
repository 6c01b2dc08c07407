import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { PlatformHealth } from "@/components/platform/platform-health";
import { accountCrumbs } from "@/components/shell/account-trail";
import { toJson } from "@/lib/api/json";
import { accountAreas } from "@/lib/authz/permissions";
import { sectionTitle } from "@/lib/glossary";
import { getPlatformHealth } from "@/lib/services/platform/get-platform-health";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("health");

export default async function PlatformHealthPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).health) notFound();
  const health = toJson(await getPlatformHealth({ actor }));
  return (
    <>
      <PageHeader
        title={sectionTitle("health", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "health")}
        description="Whether the platform does what the panel saves: the reconciler, the cluster, the sites and the database servers."
      />
      <PlatformHealth initial={health} platformSlug={account.slug} />
    </>
  );
}
