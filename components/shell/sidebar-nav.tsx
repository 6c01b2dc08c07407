"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { DatabaseIcon, ServerIcon } from "@/components/databases/database-icons";
import { cn } from "@/components/ui/cn";
import {
  BoxIcon,
  BuildingIcon,
  ClipboardIcon,
  GlobeIcon,
  LayersIcon,
  NetworkIcon,
  TableIcon,
  UsersIcon,
} from "@/components/ui/icons";
import type { AccountJson } from "@/lib/api/json";
import { accountAreas } from "@/lib/authz/permissions";

const BELOW_LABEL: Record<AccountJson["kind"], string> = {
  PLATFORM: "Accounts",
  RESELLER: "Customers",
  AGENCY: "Clients",
  CUSTOMER: "Accounts",
};

export function SidebarNav({ account }: { account: AccountJson }) {
  const pathname = usePathname();
  const base = `/accounts/${account.slug}`;
  const areas = accountAreas(account);
  const under = (path: string) => pathname === path || pathname.startsWith(`${path}/`);
  const items = [
    { show: true, href: base, label: "Account", Icon: BuildingIcon, active: pathname === base },
    { show: areas.sites, href: `${base}/sites`, label: "Sites", Icon: GlobeIcon },
    { show: areas.databases, href: `${base}/databases`, label: "Databases", Icon: DatabaseIcon },
    {
      show: areas.accountsBelow,
      href: `${base}/customers`,
      label: BELOW_LABEL[account.kind],
      Icon: NetworkIcon,
    },
    { show: areas.clientSites, href: `${base}/client-sites`, label: "Client sites", Icon: TableIcon },
    { show: areas.plans, href: `${base}/plans`, label: "Plans", Icon: LayersIcon },
    { show: areas.members, href: `${base}/members`, label: "Members", Icon: UsersIcon },
    { show: areas.runtimes, href: `${base}/runtimes`, label: "Runtimes", Icon: BoxIcon },
    {
      show: areas.databaseServers,
      href: `${base}/database-servers`,
      label: "Database servers",
      Icon: ServerIcon,
    },
    { show: areas.auditLog, href: `${base}/audit-log`, label: "Audit log", Icon: ClipboardIcon },
  ];
  return (
    <nav aria-label="Main" className="space-y-0.5">
      {items
        .filter((item) => item.show)
        .map(({ href, label, Icon, active }) => {
          const current = active ?? under(href);
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
