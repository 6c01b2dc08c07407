import Link from "next/link";
import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { UserMenu } from "@/components/shell/user-menu";
import { SupportBanner } from "@/components/support/support-banner";
import { cn } from "@/components/ui/cn";
import { LogoMark } from "@/components/ui/icons";
import type { SessionImpersonation } from "@/lib/auth/session";

const SECTIONS = [
  { key: "profile", href: "/profile", label: "Profile" },
  { key: "two-factor", href: "/profile/two-factor", label: "Two-factor sign-in" },
  { key: "sessions", href: "/profile/sessions", label: "Sessions" },
  { key: "password", href: "/profile/password", label: "Password" },
  { key: "api-reference", href: "/profile/api-reference", label: "API reference" },
] as const;

/**
 * The frame of the user's own pages (profile, two-factor sign-in, sessions, password, the API reference): they belong to no
 * account, so they have no account sidebar. A component rather than a /profile layout, so that each
 * page authenticates itself (the two-factor page is open to users who must still set it up).
 */
export function ProfileFrame({
  user,
  active,
  children,
}: {
  user: { name: string; email: string; impersonation?: SessionImpersonation | null };
  active: (typeof SECTIONS)[number]["key"];
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      {user.impersonation ? (
        <SupportBanner
          asName={user.name}
          operatorName={user.impersonation.operatorName}
          expiresAt={user.impersonation.expiresAt}
        />
      ) : null}
      <header className="sticky top-0 z-20 flex h-16 items-center justify-between gap-3 border-b border-zinc-200 bg-white/80 px-4 backdrop-blur sm:px-8 dark:border-zinc-800 dark:bg-zinc-950/80">
        <Link href="/" className="flex items-center gap-2.5 rounded-md px-1">
          <LogoMark className="size-8" />
          <span className="text-lg font-semibold tracking-tight">Sitepod</span>
        </Link>
        <div className="flex items-center gap-3">
          <ThemeToggle />
          <UserMenu name={user.name} email={user.email} />
        </div>
      </header>
      <main
        id="main-content"
        tabIndex={-1}
        className="mx-auto w-full max-w-4xl px-4 py-8 outline-none sm:px-8"
      >
        <div className="mb-3">
          <Link href="/" className="text-sm text-brand-700 hover:underline dark:text-brand-400">
            ← Back to the panel
          </Link>
        </div>
        <h1 className="text-2xl font-semibold tracking-tight">Your profile</h1>
        <nav
          aria-label="Profile"
          // Wraps onto a second line on a phone rather than scrolling sideways.
          className="mt-4 mb-6 flex flex-wrap gap-x-1 border-b border-zinc-200 dark:border-zinc-800"
        >
          {SECTIONS.map((section) => (
            <Link
              key={section.key}
              href={section.href}
              aria-current={section.key === active ? "page" : undefined}
              className={cn(
                "-mb-px shrink-0 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap",
                section.key === active
                  ? "border-brand-600 text-zinc-900 dark:text-zinc-100"
                  : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
              )}
            >
              {section.label}
            </Link>
          ))}
        </nav>
        {children}
      </main>
    </div>
  );
}
