/** Where the panel listens when NEXTAUTH_URL is not set (see lib/auth/options.ts). */
export const DEFAULT_PANEL_URL = "http://127.0.0.1:3000";

/**
 * The panel's public URL, as configured in NEXTAUTH_URL. Requests are judged against it, not against
 * their own Host header, which a client chooses.
 */
export function panelUrl(): URL {
  return new URL(process.env.NEXTAUTH_URL || DEFAULT_PANEL_URL);
}

/** The panel's own origin ("https://panel.example.com"): the only one allowed to change things. */
export function panelOrigin(): string {
  return panelUrl().origin;
}

/** Served over HTTPS: cookies are Secure and browsers are told to stay on HTTPS (HSTS). */
export function panelIsHttps(): boolean {
  return panelUrl().protocol === "https:";
}

/**
 * Whether a request's Host header names the panel's own URL (host and port), or says nothing (then
 * nothing else is assumed). Another name is a reseller's own panel hostname, or a mistake.
 */
export function isPanelHost(host: string | null | undefined): boolean {
  if (!host) return true;
  return (
    host
      .trim()
      .toLowerCase()
      .replace(/\.(?=:|$)/, "") === panelUrl().host.toLowerCase()
  );
}
