"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { BuildingIcon, GlobeIcon } from "@/components/ui/icons";

export function SidebarNav({ accountSlug }: { accountSlug: string }) {
  const pathname = usePathname();
  const base = `/accounts/${accountSlug}`;
  const items = [
    { href: `${base}/sites`, label: "Sites", Icon: GlobeIcon, active: pathname.startsWith(`${base}/sites`) },
    { href: base, label: "Account", Icon: BuildingIcon, active: pathname === base },
  ];
  return (
    <nav aria-label="Main" className="space-y-0.5">
      {items.map(({ href, label, Icon, active }) => (
        <Link
          key={href}
          href={href}
          aria-current={active ? "page" : undefined}
          className={cn(
            "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors",
            active
              ? "bg-brand-50 text-brand-700 dark:bg-brand-500/15 dark:text-white"
              : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100",
          )}
        >
          <Icon className="size-5 shrink-0" />
          {label}
        </Link>
      ))}
    </nav>
  );
}
