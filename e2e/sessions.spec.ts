import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { DEMO, e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";

// A user of its own (a viewer of the seed's demo customer), since this spec changes its password
// and signs it out everywhere.
const email = `${uniqueName("sessions")}@example.test`;
const user = { email, password: "first-password-123" };
const newPassword = "second-password-456";

test.beforeAll(async () => {
  const prisma = e2ePrisma();
  try {
    const demo = await prisma.account.findUniqueOrThrow({ where: { slug: "demo" } });
    await prisma.user.create({
      data: {
        email,
        name: "Session tester",
        passwordHash: await hashPassword(user.password),
        memberships: { create: { accountId: demo.id, role: "VIEWER" } },
      },
    });
  } finally {
    await prisma.$disconnect();
  }
});

async function signedInContext(
  browser: Browser,
  who: { email: string; password: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who);
  return { context, page };
}

/** The next navigation of a page whose session was ended lands on the sign-in page. */
async function expectSignedOut(page: Page): Promise<void> {
  await page.goto("/accounts/demo/sites");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in to Sitepod" })).toBeVisible();
  expect((await page.request.get("/api/v1/accounts")).status()).toBe(401);
}

test("a session cookie replayed after sign-out is refused by the API and the pages", async ({ browser }) => {
  const { context, page } = await signedInContext(browser, DEMO);
  const saved = await context.cookies();
  expect(saved.some((c) => c.name.includes("session-token"))).toBe(true);
  expect((await page.request.get("/api/v1/accounts")).status()).toBe(200);

  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();

  // Someone who copied the cookie before the sign-out: the JWT is still well-signed, the session is not.
  const thief = await browser.newContext();
  await thief.addCookies(saved);
  const api = await thief.request.get("/api/v1/accounts");
  expect(api.status()).toBe(401);
  expect(await api.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } });
  const thiefPage = await thief.newPage();
  await thiefPage.goto("/accounts/demo/sites");
  await expect(thiefPage).toHaveURL(/\/sign-in/);
  await thief.close();
});

test("ending another browser's session, or all other sessions, signs that browser out at once", async ({
  browser,
  baseURL,
}) => {
  const a = await signedInContext(browser, user);
  let b = await signedInContext(browser, user);

  // B has the live event stream open; ending B's session must close it.
  const cookie = (await b.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const abort = new AbortController();
  const stream = await fetch(`${baseURL}/api/v1/events`, { headers: { cookie }, signal: abort.signal });
  expect(stream.status).toBe(200);
  const reader = stream.body?.getReader();
  if (!reader) throw new Error("the event stream has no body");

  await a.page.getByRole("button", { name: "User menu" }).click();
  await a.page.getByRole("menuitem", { name: "Sessions" }).click();
  await expect(a.page).toHaveURL(/\/profile\/sessions$/);
  const rows = a.page.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  await expect(a.page.locator('[data-testid="session-row"][data-current]')).toContainText("This session");
  await screenshot(a.page, "profile-sessions");
  await a.page.setViewportSize({ width: 390, height: 800 });
  await expect(
    a.page.locator('[data-testid="session-row"]:not([data-current])').getByRole("button"),
  ).toBeInViewport();
  await screenshot(a.page, "profile-sessions-390");
  await a.page.setViewportSize({ width: 1280, height: 800 });

  await a.page.locator('[data-testid="session-row"]:not([data-current])').getByRole("button").click();
  await a.page.getByRole("dialog").getByRole("button", { name: "End session" }).click();
  await expect(a.page.getByTestId("toast").filter({ hasText: "Session ended" })).toBeVisible();
  await expect(rows).toHaveCount(1);

  // The stream ends by itself (within its session check interval), without being aborted.
  const deadline = Date.now() + 20_000;
  let ended = false;
  try {
    while (Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) {
        ended = true;
        break;
      }
    }
  } finally {
    abort.abort();
  }
  expect(ended, "the event stream of the ended session closed").toBe(true);

  await expectSignedOut(b.page);
  // A, which ended it, is still signed in.
  await a.page.goto("/accounts/demo/sites");
  await expect(a.page).toHaveURL(/\/accounts\/demo\/sites$/);

  // "End all other sessions".
  await b.context.close();
  b = await signedInContext(browser, user);
  await a.page.goto("/profile/sessions");
  await expect(rows).toHaveCount(2);
  await a.page.getByRole("button", { name: "End all other sessions" }).click();
  await a.page.getByRole("dialog").getByRole("button", { name: "End other sessions" }).click();
  await expect(a.page.getByTestId("toast").filter({ hasText: "1 session ended" })).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expectSignedOut(b.page);

  // A signs out too, so that the next test starts without live sessions of this user.
  await a.page.getByRole("button", { name: "User menu" }).click();
  await a.page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(a.page).toHaveURL(/\/sign-in/);
  await a.context.close();
  await b.context.close();
});

test("changing the password signs out every other session and keeps this one", async ({ browser }) => {
  const a = await signedInContext(browser, user);
  const b = await signedInContext(browser, user);

  await a.page.goto("/profile/password");
  await a.page.getByLabel("Current password").fill("not-my-password");
  await a.page.getByLabel("New password", { exact: true }).fill(newPassword);
  await a.page.getByLabel("Repeat the new password").fill(newPassword);
  await a.page.getByRole("button", { name: "Change password" }).click();
  await expect(a.page.getByTestId("currentPassword-error")).toHaveText(
    "This is not your current password. Type it again.",
  );

  await a.page.getByLabel("Current password").fill(user.password);
  await a.page.getByLabel("Repeat the new password").fill(`${newPassword}x`);
  await a.page.getByRole("button", { name: "Change password" }).click();
  await expect(a.page.getByTestId("confirmPassword-error")).toHaveText(
    "The two new passwords differ. Type the same one twice.",
  );
  // Nothing changed so far: B is still signed in.
  expect((await b.page.request.get("/api/v1/accounts")).status()).toBe(200);

  await a.page.getByLabel("Repeat the new password").fill(newPassword);
  await a.page.getByRole("button", { name: "Change password" }).click();
  await expect(a.page.getByTestId("toast").filter({ hasText: "Password changed" })).toContainText(
    "1 other session was signed out.",
  );
  await a.page.setViewportSize({ width: 390, height: 800 });
  await screenshot(a.page, "profile-password");

  await expectSignedOut(b.page);
  await a.page.goto("/accounts/demo/sites");
  await expect(a.page).toHaveURL(/\/accounts\/demo\/sites$/);

  // The new password signs in; the old one no longer does.
  await b.page.goto("/sign-in");
  await b.page.getByLabel("Email").fill(user.email);
  await b.page.getByLabel("Password").fill(user.password);
  await b.page.getByRole("button", { name: "Sign in" }).click();
  await expect(b.page.getByText("Incorrect email or password.")).toBeVisible();
  await signIn(b.page, { email: user.email, password: newPassword });

  await a.context.close();
  await b.context.close();
});
