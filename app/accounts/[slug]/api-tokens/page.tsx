import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiTokensPanel } from "@/components/api-tokens/api-tokens-panel";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { PersonalOnlyNotice } from "@/components/support/personal-only-notice";
import { LiveRefresh } from "@/components/shell/live-refresh";
import { toJson } from "@/lib/api/json";
import { apiServerEndpoint } from "@/lib/apiserver/endpoint";
import { accountAreas } from "@/lib/authz/permissions";
import { sectionTitle } from "@/lib/glossary";
import { listApiTokens } from "@/lib/services/api-token/list-api-tokens";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("apiTokens");

export default async function ApiTokensPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).apiTokens) notFound();
  const header = (
    <PageHeader
      title={sectionTitle("apiTokens", account.kind)}
      breadcrumbs={accountCrumbs(accounts, account, "apiTokens")}
      description={
        <>
          For scripts and tools: a token acts for the person who created it on {account.name} and the accounts
          below it, with the role it was given. What it can call:{" "}
          <Link
            href="/profile/api-reference"
            className="text-brand-700 underline underline-offset-2 hover:no-underline dark:text-brand-300"
          >
            the API reference
          </Link>
          .
        </>
      }
    />
  );
  // Tokens are their creator's credentials: a support session neither sees nor makes them.
  if (actor.impersonation) {
    return (
      <>
        {header}
        <PersonalOnlyNotice name={actor.user.name} what="their API tokens" />
      </>
    );
  }
  const tokens = toJson(await listApiTokens({ actor, accountId: account.id }));
  return (
    <>
      {header}
      {/* Live: a token created or revoked in another tab or by an admin, or used from a new address. */}
      <LiveRefresh kinds={["ApiToken"]} />
      <ApiTokensPanel account={account} initial={tokens} kubeconfig={apiServerEndpoint() !== null} />
    </>
  );
}
