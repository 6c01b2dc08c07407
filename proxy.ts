import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { authSecret } from "@/lib/auth/secret";
import { contentSecurityPolicy, HSTS, newNonce } from "@/lib/security/headers";
import { isPanelHost, panelIsHttps, panelOrigin, panelUrl } from "@/lib/security/origin";
import { sameOriginPath } from "@/lib/security/same-origin-path";

/**
 * Pages anyone may open: sign-in, invitation links (they let an invitee register), "forgot your
 * password?" and the links it and email confirmation mail (the token in them is what entitles).
 */
function isOpenPage(pathname: string): boolean {
  return (
    pathname === "/sign-in" ||
    pathname.startsWith("/sign-in/") ||
    pathname.startsWith("/invite/") ||
    pathname === "/forgot-password" ||
    pathname.startsWith("/reset-password/") ||
    pathname.startsWith("/verify-email/")
  );
}

function isWellFormed(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function malformedPath(api: boolean): NextResponse {
  const message =
    "This address is not valid: it contains a malformed %-escape. Check the link and try again.";
  return api
    ? NextResponse.json({ error: { code: "INVALID_INPUT", message } }, { status: 400 })
    : new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The panel only ever links to sign-in with a callbackUrl that is one of its own paths; any other
 * value (another site, a tab or newline smuggled in, a malformed escape) is a crafted link.
 */
function hasCraftedCallbackUrl(request: NextRequest): boolean {
  const values = request.nextUrl.searchParams.getAll("callbackUrl");
  return values.some((value) => sameOriginPath(value, panelOrigin()) === null);
}

/** A page of its own (no script, its own strict CSP), styled like the panel's sign-in card. */
function craftedSignInLink(): NextResponse {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link not valid - Sitepod</title>
<style>
  :root { color-scheme: light dark; font-family: ui-sans-serif, system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #fafafa; color: #18181b; }
  main { max-width: 26rem; margin: 1rem; padding: 1.5rem; border: 1px solid #e4e4e7; border-radius: 0.75rem; background: #fff; }
  h1 { font-size: 1.25rem; margin: 0 0 0.75rem; }
  p { color: #52525b; line-height: 1.5; margin: 0 0 1rem; }
  a { display: inline-block; padding: 0.5rem 1rem; border-radius: 0.5rem; background: #2b59d9; color: #fff; text-decoration: none; font-weight: 500; }
  @media (prefers-color-scheme: dark) { body { background: #09090b; color: #f4f4f5; } main { background: #18181b; border-color: #27272a; } p { color: #a1a1aa; } }
</style></head>
<body><main><h1>This sign-in link is not valid</h1>
<p>It would send you away from the panel after signing in, so it was refused. Nothing was changed.</p>
<a href="/sign-in">Sign in to the panel</a></main></body></html>`;
  return new NextResponse(body, {
    status: 400,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    },
  });
}

/**
 * Runs before every page and API request (not Next's static assets):
 * - answers 400 to a path with malformed percent-encoding, which no page or route can address, and
 *   to a sign-in link whose callbackUrl is not a path of the panel (an open-redirect attempt);
 * - gives every page response a Content-Security-Policy with a fresh nonce (set on the request too,
 *   which is how Next.js finds the nonce for its own scripts);
 * - tells browsers to stay on HTTPS when the panel is served over HTTPS;
 * - sends anonymous visitors of protected pages to sign-in before anything renders. A convenience
 *   only: every page, server action and route handler checks the session itself
 *   (lib/auth/session.ts); the API answers 401 JSON itself, and authenticates API tokens
 *   (`Authorization: Bearer`, lib/auth/bearer.ts) in its route wrapper, never here.
 * The headers that never change (nosniff, frame and referrer policies) are in next.config.ts.
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const api = pathname.startsWith("/api/");
  const https = panelIsHttps();
  const secure = (response: NextResponse) => {
    if (https) response.headers.set("Strict-Transport-Security", HSTS);
    return response;
  };

  if (!isWellFormed(pathname)) return secure(malformedPath(api));
  if (api) return secure(NextResponse.next());
  if (pathname === "/sign-in" && hasCraftedCallbackUrl(request)) return secure(craftedSignInLink());

  if (!isOpenPage(pathname)) {
    const token = await getToken({ req: request, secret: authSecret(), secureCookie: https });
    if (!token?.sub) {
      // From the configured URL: request.url is built from the Host header, which the client chooses.
      const signIn = new URL("/sign-in", panelUrl());
      const target = `${pathname}${request.nextUrl.search}`;
      if (target !== "/") signIn.searchParams.set("callbackUrl", target);
      if (isPanelHost(request.headers.get("host"))) return secure(NextResponse.redirect(signIn));
      // Another name for the panel (a reseller's own panel hostname): its sign-in page, on the name
      // the browser used. Next.js sends a redirect to the request's own host as a relative Location,
      // which cannot point anywhere else. That page sends a name that is no reseller's on to the
      // panel's own sign-in.
      return secure(NextResponse.redirect(new URL(`${signIn.pathname}${signIn.search}`, request.nextUrl)));
    }
  }

  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return secure(response);
}

export const config = {
  // Everything but Next's own assets (and its dev server's hot reload) and the public files, which
  // carry no script to protect; next.config.ts gives them the static headers.
  matcher: ["/((?!_next/|favicon\\.ico|icon\\.svg|robots\\.txt).*)"],
};
