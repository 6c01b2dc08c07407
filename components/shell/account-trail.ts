import { accountAreas } from "@/lib/authz/permissions";
import type { AccountKind, Role } from "@/lib/generated/prisma/enums";
import { type AccountSection, sectionHref, sectionTitle } from "@/lib/glossary";

export interface Crumb {
  label: string;
  /** Absent on the last crumb: the page itself. */
  href?: string;
}

interface TrailAccount {
  id: string;
  slug: string;
  name: string;
  kind: AccountKind;
  parentId: string | null;
}

/** Where an account opens: a provider's accounts below it, a customer's sites. */
export function accountHome(account: { slug: string; kind: AccountKind; role: Role }): string {
  return sectionHref(account.slug, accountAreas(account).accountsBelow ? "accountsBelow" : "sites");
}

/**
 * The accounts above `account` that the user also reaches, outermost first: the way back from a
 * client an agency (or a reseller, or the operator) is working in.
 */
export function reachableAncestors<T extends TrailAccount>(accounts: readonly T[], account: T): T[] {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const chain: T[] = [];
  const seen = new Set([account.id]);
  let parent = account.parentId ? byId.get(account.parentId) : undefined;
  while (parent && !seen.has(parent.id)) {
    chain.unshift(parent);
    seen.add(parent.id);
    parent = parent.parentId ? byId.get(parent.parentId) : undefined;
  }
  return chain;
}

/**
 * The breadcrumbs of a page in `account`: each reachable account above it and its list of accounts
 * below (e.g. Pixel Agency › Clients), the account, the area, and `leaf` for a page inside the area
 * (a site, the new-site form). Empty on an area page of the user's own top account: the sidebar
 * and the heading already say where they are.
 */
export function accountCrumbs(
  accounts: readonly TrailAccount[],
  account: TrailAccount,
  section: AccountSection,
  leaf?: string,
): Crumb[] {
  const ancestors = reachableAncestors(accounts, account);
  if (ancestors.length === 0 && !leaf) return [];
  const crumbs: Crumb[] = [];
  for (const ancestor of ancestors) {
    crumbs.push({ label: ancestor.name, href: sectionHref(ancestor.slug, "account") });
    crumbs.push({
      label: sectionTitle("accountsBelow", ancestor.kind),
      href: sectionHref(ancestor.slug, "accountsBelow"),
    });
  }
  crumbs.push({ label: account.name, href: sectionHref(account.slug, "account") });
  if (section !== "account") {
    crumbs.push({ label: sectionTitle(section, account.kind), href: sectionHref(account.slug, section) });
  }
  if (leaf) crumbs.push({ label: leaf });
  const last = crumbs.length - 1;
  crumbs[last] = { label: crumbs[last]?.label ?? "" };
  return crumbs;
}
