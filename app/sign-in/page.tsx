import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/components/auth/safe-callback-url";
import { SignInForm } from "@/components/auth/sign-in-form";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { LogoMark } from "@/components/ui/icons";
import { getSessionUser } from "@/lib/auth/session";
import { panelOrigin } from "@/lib/security/origin";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { callbackUrl } = await searchParams;
  const target = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : null, panelOrigin());
  if (await getSessionUser()) redirect(target);

  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="absolute top-4 right-4">
        <ThemeToggle />
      </div>
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <LogoMark className="size-11" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to Sitepod</h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            Manage your sites, domains and hosting.
          </p>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <SignInForm callbackUrl={target} />
        </div>
      </div>
    </main>
  );
}
