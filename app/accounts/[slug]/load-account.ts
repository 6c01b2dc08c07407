import { notFound } from "next/navigation";
import { cache } from "react";
import { type AccountJson, toAccountJson } from "@/lib/api/json";
import { requirePageActor } from "@/lib/auth/session";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";

/**
 * The signed-in user, the accounts they may open and the one named in the URL. Cached per request so
 * that the layout and the page share one query. An account the user cannot reach is a 404.
 */
export const loadAccount = cache(async (slug: string) => {
  const actor = await requirePageActor();
  const accounts: AccountJson[] = (await listMyAccounts({ actor })).map(toAccountJson);
  const account = accounts.find((a) => a.slug === slug);
  if (!account) notFound();
  return { actor, accounts, account };
});
