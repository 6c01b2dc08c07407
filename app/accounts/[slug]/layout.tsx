import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { loadAccount } from "./load-account";

export default async function AccountLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  return (
    <AppShell accounts={accounts} current={account} user={actor.user}>
      {children}
    </AppShell>
  );
}
