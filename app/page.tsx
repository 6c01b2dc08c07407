import { redirect } from "next/navigation";
import { accountHome } from "@/components/shell/account-trail";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePageActor } from "@/lib/auth/session";
import { listOwnAccounts } from "@/lib/services/account/list-own-accounts";

/**
 * Opens the account the user most likely wants: their own account (one whose parent they do not
 * reach), a customer's sites before a provider's; a provider lands on the accounts it hosts.
 */
export default async function HomePage() {
  const actor = await requirePageActor();
  const own = await listOwnAccounts({ actor });
  const target = own.find((a) => a.kind === "CUSTOMER") ?? own[0];
  if (target) {
    redirect(accountHome(target));
  }
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="flex min-h-screen items-center justify-center outline-none"
    >
      <EmptyState
        title="No accounts yet"
        description="Your user does not belong to any account. Ask your hosting provider to invite you."
      />
    </main>
  );
}
