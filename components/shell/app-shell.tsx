import Link from "next/link";
import type { ReactNode } from "react";
import { BrandMark } from "@/components/brand/brand-mark";
import { AccountSwitcher } from "@/components/shell/account-switcher";
import { accountHome, reachableAncestors } from "@/components/shell/account-trail";
import { LiveIndicator } from "@/components/shell/live-indicator";
import { MobileNav } from "@/components/shell/mobile-nav";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { UserMenu } from "@/components/shell/user-menu";
import { SupportBanner } from "@/components/support/support-banner";
import { ArrowLeftIcon } from "@/components/ui/icons";
import type { AccountJson } from "@/lib/api/json";
import type { SessionImpersonation } from "@/lib/auth/session";
import { accountAreas } from "@/lib/authz/permissions";
import { brandPalette, brandStyleSheet, parseHexColour } from "@/lib/brand/colour";
import { sectionHref } from "@/lib/glossary";
import { LiveUpdatesProvider } from "@/lib/query/live-updates";
import type { PanelBrand } from "@/lib/services/brand/brand-view";

function Logo({ href, brand }: { href: string; brand: PanelBrand | null }) {
  return (
    <Link href={href} className="flex min-w-0 items-center gap-2.5 rounded-md px-1" data-testid="panel-logo">
      <BrandMark brand={brand} />
    </Link>
  );
}

/**
 * The brand's shades for everything inside the shell (Tailwind's brand-* read these variables):
 * a style sheet of hex values computed from the stored, validated colour; none for a colour that
 * is not one (a row edited by hand), which then keeps Sitepod's.
 */
function BrandStyle({ brand }: { brand: PanelBrand | null }) {
  if (!brand || !parseHexColour(brand.primaryColor)) return null;
  return <style>{brandStyleSheet(brandPalette(brand.primaryColor))}</style>;
}

/**
 * The account the current one sits in, when the user reaches it too (an agency working in a
 * client): the sidebar keeps the way back to its list of accounts below.
 */
function BackToParent({ parent }: { parent: AccountJson }) {
  const href = sectionHref(parent.slug, accountAreas(parent).accountsBelow ? "accountsBelow" : "account");
  return (
    <Link
      href={href}
      data-testid="back-to-parent"
      className="-mb-3 flex items-center gap-2 rounded-lg px-2 py-1.5 text-sm font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100"
    >
      <ArrowLeftIcon className="size-4 shrink-0" />
      <span className="truncate">Back to {parent.name}</span>
    </Link>
  );
}

/**
 * The frame of every account page: the sidebar (a menu button and a drawer on small screens), a top
 * bar with the theme and the user's menu, and the page in the `main` landmark the skip link targets.
 */
export function AppShell({
  accounts,
  reachesMore = false,
  current,
  user,
  brand = null,
  children,
}: {
  /** The user's own accounts, the current one and the reachable ones above it. */
  accounts: AccountJson[];
  /** The user reaches other accounts too: the switcher offers a search. */
  reachesMore?: boolean;
  current: AccountJson;
  /** In a support session, the user acted as, and `impersonation` the operator: the banner. */
  user: { name: string; email: string; impersonation?: SessionImpersonation | null };
  /** A reseller's white label, for the accounts below it; null: Sitepod's own look. */
  brand?: PanelBrand | null;
  children: ReactNode;
}) {
  const home = accountHome(current);
  const parent = reachableAncestors(accounts, current).at(-1) ?? null;
  const sidebar = (
    <>
      {parent ? <BackToParent parent={parent} /> : null}
      <AccountSwitcher accounts={accounts} current={current} reachesMore={reachesMore} />
      <SidebarNav account={current} />
      <div className="mt-auto px-1">
        <LiveIndicator />
      </div>
    </>
  );
  return (
    <LiveUpdatesProvider>
      <BrandStyle brand={brand} />
      <div className="min-h-screen md:flex" data-brand-scope={brand ? "" : undefined}>
        <aside
          aria-label="Sidebar"
          className="hidden flex-col gap-6 overflow-y-auto border-r border-zinc-200 bg-white px-4 py-5 md:fixed md:inset-y-0 md:flex md:w-64 dark:border-zinc-800 dark:bg-zinc-900"
        >
          <Logo href={home} brand={brand} />
          {sidebar}
        </aside>
        <div className="flex min-w-0 flex-1 flex-col md:pl-64">
          {user.impersonation ? (
            <SupportBanner
              asName={user.name}
              operatorName={user.impersonation.operatorName}
              expiresAt={user.impersonation.expiresAt}
            />
          ) : null}
          <header className="sticky top-0 z-20 flex h-16 items-center gap-2 border-b border-zinc-200 bg-white/80 px-4 backdrop-blur sm:px-8 dark:border-zinc-800 dark:bg-zinc-950/80">
            <MobileNav header={<Logo href={home} brand={brand} />}>{sidebar}</MobileNav>
            <div className="min-w-0 md:hidden">
              <Logo href={home} brand={brand} />
            </div>
            <div className="ml-auto flex items-center gap-2 sm:gap-3">
              <ThemeToggle />
              <UserMenu name={user.name} email={user.email} />
            </div>
          </header>
          {/* Bottom room on small screens: a toast there must not hide the end of the page. */}
          <main
            id="main-content"
            tabIndex={-1}
            className="mx-auto w-full max-w-6xl flex-1 px-4 pt-6 pb-28 outline-none sm:px-8 sm:py-8"
          >
            {children}
          </main>
        </div>
      </div>
    </LiveUpdatesProvider>
  );
}
