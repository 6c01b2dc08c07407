import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { themeScript } from "@/components/shell/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Sitepod", template: "%s · Sitepod" },
  description: "Hosting control panel",
  icons: { icon: "/icon.svg" },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // proxy.ts puts this response's CSP nonce here; without it the browser would block the script.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // The theme script changes the class before hydration; React must not complain about it.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen font-sans">
        {/* The first Tab stop of every page; each page's <main> has this id. */}
        <a
          href="#main-content"
          className="sr-only rounded-lg bg-white text-sm font-medium text-brand-700 shadow-lg ring-2 ring-brand-500 focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-[60] focus:px-4 focus:py-2 dark:bg-zinc-900 dark:text-brand-100"
        >
          Skip to content
        </a>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
