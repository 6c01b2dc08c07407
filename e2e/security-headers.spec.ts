import { expect, type Page, type Response, test } from "@playwright/test";
import { signIn, uniqueName } from "./support/helpers";

/**
 * The panel's defences a browser sees: security headers and a nonce-based CSP on every page, that the
 * panel still works under that CSP, cross-site changes refused by the API, no open redirect after
 * signing in, and 4xx (never 5xx) for malformed addresses. Uses only baseURL and the seeded demo user.
 */

const EVIL = "http://evil.example";

/** Console errors about the CSP: the browser reports every blocked script, style or connection. */
function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("Content Security Policy")) {
      violations.push(message.text());
    }
  });
  return violations;
}

function cspNonce(response: Response | null): string {
  const csp = response?.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, `a nonce in the CSP: ${csp}`).toBeTruthy();
  return nonce ?? "";
}

function expectSecurityHeaders(response: Response | null, label: string): void {
  expect(response, label).not.toBeNull();
  const headers = response?.headers() ?? {};
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, label).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
  for (const directive of [
    "default-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "connect-src 'self'",
  ]) {
    expect(csp, `${label}: ${directive}`).toContain(directive);
  }
  // A production build: no eval.
  expect(csp, label).not.toContain("unsafe-eval");
  expect(headers["x-frame-options"], label).toBe("DENY");
  expect(headers["x-content-type-options"], label).toBe("nosniff");
  expect(headers["referrer-policy"], label).toBe("same-origin");
  // HSTS only over https; the e2e panel is plain http.
  expect(headers["strict-transport-security"], label).toBeUndefined();
}

/** Every script element of the page carries the response's nonce (what the CSP lets run). */
async function expectScriptsCarryNonce(page: Page, nonce: string): Promise<void> {
  const nonces = await page.evaluate(() => Array.from(document.scripts, (script) => script.nonce));
  expect(nonces.length).toBeGreaterThan(0);
  expect(nonces.filter((n) => n !== nonce)).toEqual([]);
}

test("the sign-in page and a signed-in page carry the security headers and a fresh nonce", async ({
  page,
}) => {
  const signInPage = await page.goto("/sign-in");
  expectSecurityHeaders(signInPage, "/sign-in");
  const first = cspNonce(signInPage);
  await expectScriptsCarryNonce(page, first);

  await signIn(page);
  const sites = await page.reload();
  expectSecurityHeaders(sites, page.url());
  const second = cspNonce(sites);
  expect(second).not.toBe(first);
  await expectScriptsCarryNonce(page, second);

  const api = await page.request.get("/api/v1/accounts");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["x-frame-options"]).toBe("DENY");
});

test("the panel works under its CSP, which blocks scripts without the nonce", async ({ page }) => {
  const violations = watchCspViolations(page);
  await signIn(page);
  await expect(page.getByRole("heading", { name: "Sites", exact: true })).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Sites", exact: true })).toBeVisible();
  expect(violations, "CSP violations while signing in and listing sites").toEqual([]);

  // The control: markup injected into the page (what an XSS would do) cannot run its handler, and
  // the browser reports it, so the listener above does hear violations.
  await page.evaluate(() => {
    const injected = document.createElement("div");
    injected.innerHTML = '<img src="/no-such-image" onerror="window.__injected = true">';
    document.body.appendChild(injected);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(violations.join("\n")).toContain("inline event handler");
  expect(
    await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected),
  ).toBeUndefined();
});

test("the API refuses changes made with the session cookie from another origin or not as JSON", async ({
  page,
  baseURL,
}) => {
  await signIn(page);
  const own = new URL(baseURL ?? "").origin;
  const accounts = (await (await page.request.get("/api/v1/accounts")).json()) as {
    accounts: { id: string; slug: string }[];
  };
  const demo = accounts.accounts.find((a) => a.slug === "demo");
  expect(demo).toBeDefined();
  const sitesUrl = `/api/v1/accounts/${demo?.id}/sites`;
  const name = uniqueName("csrf");
  const body = JSON.stringify({ name, domain: `${name}.example.test`, app: "PHP" });

  const attempts: { label: string; headers: Record<string, string> }[] = [
    { label: "another site's Origin", headers: { origin: EVIL, "content-type": "text/plain" } },
    { label: "another site's Origin, JSON", headers: { origin: EVIL, "content-type": "application/json" } },
    { label: "no Origin", headers: { "content-type": "application/json" } },
    { label: "the panel's Origin, text/plain", headers: { origin: own, "content-type": "text/plain" } },
  ];
  for (const attempt of attempts) {
    const res = await page.request.post(sitesUrl, { headers: attempt.headers, data: body });
    expect(res.status(), attempt.label).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code, attempt.label).toBe("FORBIDDEN");
  }

  // From the browser itself: a same-origin fetch with a text/plain body (no preflight) is refused too.
  const fromPage = await page.evaluate(
    async ({ url, payload }) => {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: payload,
      });
      return { status: res.status, body: (await res.json()) as { error: { message: string } } };
    },
    { url: sitesUrl, payload: body },
  );
  expect(fromPage.status).toBe(403);
  expect(fromPage.body.error.message).toContain("application/json");

  const listed = (await (await page.request.get(sitesUrl)).json()) as { sites: { name: string }[] };
  expect(
    listed.sites.map((s) => s.name),
    "a refused change wrote nothing",
  ).not.toContain(name);

  // The control: the same change from the panel's own origin as JSON goes through.
  const created = await page.request.post(sitesUrl, {
    headers: { origin: own, "content-type": "application/json" },
    data: body,
  });
  expect(created.status()).toBe(201);
  const { site } = (await created.json()) as { site: { id: string } };
  expect((await page.request.delete(`/api/v1/sites/${site.id}`, { headers: { origin: own } })).status()).toBe(
    202,
  );
});

test("a crafted callbackUrl never leads away from the panel", async ({ page, baseURL }) => {
  const own = new URL(baseURL ?? "").origin;
  // Were the panel to redirect there, the test would see evil.example instead of a DNS error.
  await page.route(/^https?:\/\/evil\.example\//, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" }),
  );

  // A link that carries one is refused with a page that says so and leads to the real sign-in.
  const refused = await page.goto("/sign-in?callbackUrl=%2F%09%2Fevil.example");
  expect(refused?.status()).toBe(400);
  await expect(page.getByRole("heading", { name: "This sign-in link is not valid" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in to the panel" })).toHaveAttribute("href", "/sign-in");
  await signIn(page);
  await expect(page).toHaveURL(/\/accounts\/demo\/sites$/);
  expect(new URL(page.url()).origin).toBe(own);

  // Signed in or not, every crafted value answers 400 (never a redirect, never a 5xx).
  for (const callbackUrl of [
    "%2F%09%2Fevil.example",
    "%2F%5Cevil.example",
    "%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example",
    "%0A",
    "%2F%0A",
    "%2F%E3%80%80%2Fevil.example",
    "%2Faccounts%2F%25E0%25A4%25A",
  ]) {
    const res = await page.request.get(`/sign-in?callbackUrl=${callbackUrl}`, { maxRedirects: 0 });
    expect(res.status(), callbackUrl).toBe(400);
    expect(await res.text(), callbackUrl).toContain("This sign-in link is not valid");
  }
  // The panel's own paths still work: signed in, the sign-in page leads there.
  const ownPath = await page.request.get("/sign-in?callbackUrl=%2Faccounts%2Fdemo%2Fsites", {
    maxRedirects: 0,
  });
  expect(ownPath.status()).toBe(307);
  expect(new URL(ownPath.headers().location ?? "", own).pathname).toBe("/accounts/demo/sites");
});

test("malformed addresses answer 4xx, never 5xx", async ({ page, request }) => {
  const paths = [
    "/accounts/%E0%A4%A",
    "/accounts/%E0%A4%A/sites",
    "/invite/%E0%A4%A",
    "/api/v1/sites/%E0%A4%A",
  ];
  for (const path of paths) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), `anonymous ${path}`).toBeGreaterThanOrEqual(400);
    expect(res.status(), `anonymous ${path}`).toBeLessThan(500);
  }
  await signIn(page);
  for (const path of paths) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), `signed in ${path}`).toBeGreaterThanOrEqual(400);
    expect(res.status(), `signed in ${path}`).toBeLessThan(500);
  }
  const api = await page.request.get("/api/v1/sites/%E0%A4%A");
  expect(((await api.json()) as { error: { code: string } }).error.code).toBe("INVALID_INPUT");
});
