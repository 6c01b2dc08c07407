import type { ReactNode } from "react";
import { SuspensionBanner } from "@/components/accounts/suspension-banner";
import { AppShell } from "@/components/shell/app-shell";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { loadAccount } from "./load-account";

export default async function AccountLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { actor, accounts, account, reachesMore, brand } = await loadAccount(slug);
  // Only a suspended account needs the reason; the others skip the query.
  const quota =
    account.status === "SUSPENDED" ? await getAccountQuota({ actor, accountId: account.id }) : null;
  return (
    <AppShell accounts={accounts} reachesMore={reachesMore} current={account} user={actor.user} brand={brand}>
      {quota ? <SuspensionBanner accountName={account.name} reason={quota.suspendedReason} /> : null}
      {children}
    </AppShell>
  );
}
