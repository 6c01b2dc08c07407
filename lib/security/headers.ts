/**
 * The panel's security headers. The static ones go on every response through next.config.ts; the
 * per-request Content-Security-Policy (with its nonce) and HSTS (which depends on the URL the panel
 * runs with, not the one it was built with) are set by proxy.ts.
 */

/** On every response: no MIME sniffing, no framing (clickjacking), no panel URLs sent to other sites. */
export const STATIC_SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Older browsers' spelling of frame-ancestors 'none'.
  { key: "X-Frame-Options", value: "DENY" },
  // Panel URLs carry account slugs, site ids and invitation tokens: other sites never see them.
  { key: "Referrer-Policy", value: "same-origin" },
];

/** Browsers remember for two years to reach the panel's host (and its subdomains) only over HTTPS. */
export const HSTS = "max-age=63072000; includeSubDomains";

/** A fresh, unguessable value per page response, for the CSP and the scripts it allows. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The page CSP. Scripts run only with this response's nonce ('strict-dynamic' lets them load the
 * chunks they import); Next.js puts the nonce on its own scripts when it finds it in the request's
 * CSP header, the theme script in app/layout.tsx reads it from `x-nonce`.
 * Styles keep 'unsafe-inline': React renders `style` attributes (which no nonce can cover) and
 * Next.js injects <style> elements without one; injected styles cannot run code. Development adds
 * 'unsafe-eval', which React's dev build uses to rebuild server error stacks (never in production).
 */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
    // On a plain-http panel (local installs) this would send every subresource to https and break it.
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}
