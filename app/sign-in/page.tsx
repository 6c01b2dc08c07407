import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { safeCallbackUrl } from "@/components/auth/safe-callback-url";
import { SignInForm } from "@/components/auth/sign-in-form";
import { BrandMark } from "@/components/brand/brand-mark";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { getSessionUser } from "@/lib/auth/session";
import { brandPalette, brandStyleSheet, parseHexColour } from "@/lib/brand/colour";
import { PRODUCT_NAME } from "@/lib/glossary";
import { mailConfigured } from "@/lib/mail/send-mail";
import { findBrandByHostname } from "@/lib/services/brand/find-brand-by-hostname";
import { isPanelHost, panelOrigin, panelUrl } from "@/lib/security/origin";

/**
 * The brand of the hostname the request came to: a reseller's own panel address shows its name,
 * logo and colour (branding only); the panel's own address, Sitepod's.
 */
const hostBrand = cache(async () => {
  const host = (await headers()).get("host");
  return { host, brand: isPanelHost(host) ? null : await findBrandByHostname(host) };
});

export async function generateMetadata(): Promise<Metadata> {
  const { brand } = await hostBrand();
  return { title: brand ? { absolute: `Sign in · ${brand.name}` } : "Sign in" };
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { callbackUrl, reset } = await searchParams;
  const target = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : null, panelOrigin());
  if (await getSessionUser()) redirect(target);
  const { host, brand } = await hostBrand();
  // A name that is neither the panel's nor a reseller's: on to the panel's own sign-in.
  if (!brand && !isPanelHost(host)) {
    const canonical = new URL("/sign-in", panelUrl());
    if (target !== "/") canonical.searchParams.set("callbackUrl", target);
    redirect(canonical.toString());
  }
  const palette = brand && parseHexColour(brand.primaryColor) ? brandPalette(brand.primaryColor) : null;

  return (
    <main
      id="main-content"
      tabIndex={-1}
      data-brand-scope={palette ? "" : undefined}
      className="flex min-h-screen flex-col items-center justify-center px-4 py-12 outline-none"
    >
      {palette ? <style>{brandStyleSheet(palette)}</style> : null}
      <div className="absolute top-4 right-4">
        <ThemeToggle />
      </div>
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <span className="flex items-center" data-testid="sign-in-brand">
            <BrandMark brand={brand} size="lg" showName={false} />
          </span>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">
            Sign in to {brand?.name ?? PRODUCT_NAME}
          </h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            Manage your sites, domains and hosting.
          </p>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <SignInForm
            callbackUrl={target}
            canResetPassword={mailConfigured()}
            notice={reset === "done" ? "Your password was changed. Sign in with the new one." : null}
          />
        </div>
      </div>
    </main>
  );
}
