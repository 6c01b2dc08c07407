import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { NewSiteForm } from "@/components/sites/new-site-form";
import { Card, CardBody } from "@/components/ui/card";
import { accountPageTitle } from "@/lib/glossary";
import { newSiteLimitReason } from "@/lib/quota/new-site";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { listOfferedRuntimes } from "@/lib/services/runtime/list-offered-runtimes";
import { loadAccount } from "../../load-account";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  const { account, panelName } = await loadAccount(slug);
  return { title: { absolute: accountPageTitle("New site", account, panelName) } };
}

export default async function NewSitePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  const [runtimes, quota] = await Promise.all([
    listOfferedRuntimes({ actor, accountId: account.id }),
    getAccountQuota({ actor, accountId: account.id }),
  ]);
  const storageLeftGiB = quota.plan ? quota.plan.storageGiB - quota.usage.storageGiB : null;
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="New site"
        description="Sitepod creates the site's storage, database and web server, and routes the domain to it."
        breadcrumbs={accountCrumbs(accounts, account, "sites", "New site")}
      />
      <Card>
        <CardBody className="py-6">
          <NewSiteForm
            account={account}
            runtimes={runtimes}
            storageLeftGiB={storageLeftGiB}
            limitReason={newSiteLimitReason(quota)}
          />
        </CardBody>
      </Card>
    </div>
  );
}
