import { notFound } from "next/navigation";
import { cache } from "react";
import { type AccountJson, toAccountJson } from "@/lib/api/json";
import { requirePageActor } from "@/lib/auth/session";
import { PRODUCT_NAME } from "@/lib/glossary";
import { loadAccountShell } from "@/lib/services/account/load-account-shell";
import { getPanelBrand } from "@/lib/services/brand/get-panel-brand";

/**
 * The signed-in user, the account named in the URL, the accounts the shell lists (the user's own,
 * this one and the reachable ones above it: the switcher and the breadcrumbs; any other account is
 * found by the switcher's search) and the brand its panel carries (a reseller's, for the accounts
 * below it; null: Sitepod's). A bounded number of queries whatever the size of the tree the user
 * reaches. Cached per request so that the layout, the page and its metadata share the queries.
 * An account the user cannot reach is a 404.
 */
export const loadAccount = cache(async (slug: string) => {
  const actor = await requirePageActor();
  const shell = await loadAccountShell({ actor, slug });
  if (!shell) notFound();
  const account: AccountJson = toAccountJson(shell.account);
  const accounts: AccountJson[] = shell.switcher.map(toAccountJson);
  const brand = await getPanelBrand({ actor, accountId: account.id });
  return {
    actor,
    accounts,
    account,
    reachesMore: shell.reachesMore,
    brand,
    panelName: brand?.name ?? PRODUCT_NAME,
  };
});
