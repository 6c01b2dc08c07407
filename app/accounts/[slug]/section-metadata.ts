import type { Metadata } from "next";
import { type AccountSection, accountPageTitle, sectionTitle } from "@/lib/glossary";
import { loadAccount } from "./load-account";

/**
 * `generateMetadata` of an account's area page: the tab says which area of which account, in whose
 * panel ("Clients · Pixel Agency · Sitepod"), under the same name as the sidebar and the heading.
 */
export function sectionMetadata(section: AccountSection) {
  return async function generateMetadata({
    params,
  }: {
    params: Promise<{ slug: string }>;
  }): Promise<Metadata> {
    const { slug } = await params;
    const { account, panelName } = await loadAccount(slug);
    return { title: { absolute: accountPageTitle(sectionTitle(section, account.kind), account, panelName) } };
  };
}
