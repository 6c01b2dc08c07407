import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { NewSiteForm } from "@/components/sites/new-site-form";
import { Card, CardBody } from "@/components/ui/card";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { listOfferedRuntimes } from "@/lib/services/runtime/list-offered-runtimes";
import { loadAccount } from "../../load-account";

export const metadata: Metadata = { title: "New site" };

export default async function NewSitePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
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
        back={
          <Link
            href={`/accounts/${account.slug}/sites`}
            className="inline-flex items-center gap-1.5 text-sm text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
          >
            <ArrowLeftIcon className="size-4" />
            All sites
          </Link>
        }
      />
      <Card>
        <CardBody className="py-6">
          <NewSiteForm account={account} runtimes={runtimes} storageLeftGiB={storageLeftGiB} />
        </CardBody>
      </Card>
    </div>
  );
}
