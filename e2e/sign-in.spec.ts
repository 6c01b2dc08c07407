import { expect, test } from "@playwright/test";
import { ADMIN, DEMO, INCORRECT_CREDENTIALS, screenshot, signIn } from "./support/helpers";

test.describe("sign in", () => {
  test("anonymous visitors are sent to the sign-in page", async ({ page }) => {
    await page.goto("/accounts/demo/sites");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faccounts%2Fdemo%2Fsites$/);
    await expect(page.getByRole("heading", { name: "Sign in to Sitepod" })).toBeVisible();
    await screenshot(page, "sign-in");
  });

  test("a wrong password and an unknown user get the same message and no session", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(DEMO.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(INCORRECT_CREDENTIALS)).toBeVisible();
    await screenshot(page, "sign-in-error");

    await page.getByLabel("Email").fill("nobody@sitepod.local");
    await page.getByLabel("Password").fill("whatever-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(INCORRECT_CREDENTIALS)).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);

    const cookies = await page.context().cookies();
    expect(cookies.filter((c) => c.name.includes("session-token"))).toEqual([]);
    const api = await page.request.get("/api/v1/accounts");
    expect(api.status()).toBe(401);
    expect(await api.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } });
  });

  test("repeated failures for one email are throttled, in any letter case", async ({ page }) => {
    // A user of its own, so that no other spec's sign-in is throttled. Five failures are free; the
    // fifth makes the next attempt from this address wait 15 seconds.
    const email = `throttle-${Date.now()}@sitepod.local`;
    await page.goto("/sign-in");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByText(INCORRECT_CREDENTIALS)).toBeVisible();
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    }
    await page.getByLabel("Email").fill(email.toUpperCase());
    await page.getByLabel("Password").fill("wrong-again");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByText("Too many failed sign-ins from here. Wait a few minutes, then try again."),
    ).toBeVisible();
    const cookies = await page.context().cookies();
    expect(cookies.filter((c) => c.name.includes("session-token"))).toEqual([]);
  });

  test("signing in opens the account's sites, signing out ends the session", async ({ page }) => {
    await signIn(page, DEMO);
    await expect(page.getByRole("heading", { name: "Sites", exact: true })).toBeVisible();
    const api = await page.request.get("/api/v1/accounts");
    expect(api.status()).toBe(200);

    await page.getByRole("button", { name: "User menu" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await page.request.get("/api/v1/accounts")).status()).toBe(401);
  });

  test("a user with several accounts switches between them", async ({ page }) => {
    await signIn(page, ADMIN);
    await expect(page).toHaveURL(/\/accounts\/platform\/customers$/);
    await page.getByRole("button", { name: /Switch account/ }).click();
    // The operator belongs to the platform only; every account below it is found by typing.
    await expect(page.getByRole("menuitem", { name: /Platform/ }).first()).toBeVisible();
    const find = page.getByRole("searchbox", { name: "Find an account" });
    for (const name of ["Acme Hosting", "Pixel Agency", "Demo customer"]) {
      await find.fill(name);
      await expect(page.getByRole("menuitem", { name: new RegExp(name) }).first()).toBeVisible();
    }
    await screenshot(page, "account-switcher");
    await page
      .getByRole("menuitem", { name: /Demo customer/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/accounts\/demo\/sites$/);
    await page.getByRole("link", { name: "Account", exact: true }).click();
    await expect(page.getByText("Your role")).toBeVisible();
  });
});
