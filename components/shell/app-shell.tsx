import Link from "next/link";
import type { ReactNode } from "react";
import { AccountSwitcher } from "@/components/shell/account-switcher";
import { LiveIndicator } from "@/components/shell/live-indicator";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { UserMenu } from "@/components/shell/user-menu";
import { LogoMark } from "@/components/ui/icons";
import type { AccountJson } from "@/lib/api/json";
import { LiveUpdatesProvider } from "@/lib/query/live-updates";

export function AppShell({
  accounts,
  current,
  user,
  children,
}: {
  accounts: AccountJson[];
  current: AccountJson;
  user: { name: string; email: string };
  children: ReactNode;
}) {
  return (
    <LiveUpdatesProvider>
      <div className="min-h-screen md:flex">
        <aside className="flex flex-col gap-6 border-b border-zinc-200 bg-white px-4 py-5 md:fixed md:inset-y-0 md:w-64 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
          <Link href={`/accounts/${current.slug}/sites`} className="flex items-center gap-2.5 px-1">
            <LogoMark className="size-8" />
            <span className="text-lg font-semibold tracking-tight">Sitepod</span>
          </Link>
          <AccountSwitcher accounts={accounts} current={current} />
          <SidebarNav account={current} />
          <div className="mt-auto hidden px-1 md:block">
            <LiveIndicator />
          </div>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col md:pl-64">
          <header className="sticky top-0 z-20 flex h-16 items-center justify-end gap-3 border-b border-zinc-200 bg-white/80 px-4 backdrop-blur sm:px-8 dark:border-zinc-800 dark:bg-zinc-950/80">
            <ThemeToggle />
            <UserMenu name={user.name} email={user.email} />
          </header>
          <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-8">{children}</main>
        </div>
      </div>
    </LiveUpdatesProvider>
  );
}
