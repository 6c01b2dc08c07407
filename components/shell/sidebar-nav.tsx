"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { DatabaseIcon, ServerIcon } from "@/components/databases/database-icons";
import { cn } from "@/components/ui/cn";
import {
  ActivityIcon,
  BoxIcon,
  BuildingIcon,
  ClipboardIcon,
  GlobeIcon,
  KeyIcon,
  LayersIcon,
  NetworkIcon,
  SearchIcon,
  PaletteIcon,
  TableIcon,
  UsersIcon,
} from "@/components/ui/icons";
import type { AccountJson } from "@/lib/api/json";
import { accountAreas } from "@/lib/authz/permissions";
import { type AccountSection, sectionHref, sectionTitle } from "@/lib/glossary";

const ICONS: Record<AccountSection, typeof GlobeIcon> = {
  account: BuildingIcon,
  sites: GlobeIcon,
  databases: DatabaseIcon,
  accountsBelow: NetworkIcon,
  clientSites: TableIcon,
  plans: LayersIcon,
  members: UsersIcon,
  apiTokens: KeyIcon,
  runtimes: BoxIcon,
  databaseServers: ServerIcon,
  health: ActivityIcon,
  search: SearchIcon,
  brand: PaletteIcon,
  auditLog: ClipboardIcon,
};

/** The account's areas, in this order, each under its one name (lib/glossary.ts). */
const ORDER: readonly AccountSection[] = [
  "account",
  "sites",
  "databases",
  "accountsBelow",
  "clientSites",
  "plans",
  "brand",
  "members",
  "apiTokens",
  "runtimes",
  "databaseServers",
  "health",
  "search",
  "auditLog",
];

export function SidebarNav({ account }: { account: AccountJson }) {
  const pathname = usePathname();
  const areas = accountAreas(account);
  const shown = (section: AccountSection) => section === "account" || areas[section];
  const items = ORDER.filter(shown).map((section) => {
    const href = sectionHref(account.slug, section);
    return {
      href,
      label: sectionTitle(section, account.kind),
      Icon: ICONS[section],
      // The account page is the prefix of every other one: only its own path makes it current.
      current:
        section === "account" ? pathname === href : pathname === href || pathname.startsWith(`${href}/`),
    };
  });
  return (
    <nav aria-label="Main" className="space-y-0.5">
      {items.map(({ href, label, Icon, current }) => {
        return (
          <Link
            key={href}
            href={href}
            aria-current={current ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors",
              current
                ? "bg-brand-50 text-brand-700 dark:bg-brand-500/15 dark:text-white"
                : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100",
            )}
          >
            <Icon className="size-5 shrink-0" />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
