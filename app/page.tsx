import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePageActor } from "@/lib/auth/session";
import { accountAreas } from "@/lib/authz/permissions";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";

/**
 * Opens the account the user most likely wants: their own account (one whose parent they do not
 * reach), a customer's sites before a provider's; a provider lands on the accounts it hosts.
 */
export default async function HomePage() {
  const actor = await requirePageActor();
  const accounts = await listMyAccounts({ actor });
  const reachable = new Set(accounts.map((a) => a.id));
  const own = accounts.filter((a) => a.parentId === null || !reachable.has(a.parentId));
  const target = own.find((a) => a.kind === "CUSTOMER") ?? own[0];
  if (target) {
    redirect(
      accountAreas(target).accountsBelow
        ? `/accounts/${target.slug}/customers`
        : `/accounts/${target.slug}/sites`,
    );
  }
  return (
    <main className="flex min-h-screen items-center justify-center">
      <EmptyState
        title="No accounts yet"
        description="Your user does not belong to any account. Ask your hosting provider to invite you."
      />
    </main>
  );
}
