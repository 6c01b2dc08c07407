import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePageActor } from "@/lib/auth/session";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";

/** Opens the account the user most likely wants: the first customer account, else the first one. */
export default async function HomePage() {
  const actor = await requirePageActor();
  const accounts = await listMyAccounts({ actor });
  const target = accounts.find((a) => a.kind === "CUSTOMER") ?? accounts[0];
  if (target) redirect(`/accounts/${target.slug}/sites`);
  return (
    <main className="flex min-h-screen items-center justify-center">
      <EmptyState
        title="No accounts yet"
        description="Your user does not belong to any account. Ask your hosting provider to invite you."
      />
    </main>
  );
}
