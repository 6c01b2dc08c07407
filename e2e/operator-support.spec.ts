import { expect, test } from "@playwright/test";
import { ADMIN, DEMO, screenshot, signIn, uniqueName } from "./support/helpers";

/**
 * The operator's support tools, end to end: the platform health page says the reconciler `npm run
 * up` started is up and leading and the cluster answers; the search finds the demo customer; the
 * operator signs in as its owner with a reason, works under a banner on every page, the customer's
 * audit log shows who signed in and why, and "End" gives the operator their own panel back.
 */
test("the operator checks the platform's health, finds a customer and signs in as its owner for support", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const reason = `Ticket ${uniqueName("t")}: the customer cannot find their site`;
  await signIn(page, ADMIN);

  // Health: the reconciler's heartbeat and the API server, refreshed every few seconds.
  await page.getByRole("link", { name: "Platform health" }).click();
  await expect(page).toHaveURL(/\/accounts\/platform\/health$/);
  await expect(page.getByRole("heading", { name: "Platform health", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/^Platform health · Platform/);
  await expect(page.getByTestId("reconciler-status")).toHaveText("Up and leading", { timeout: 30_000 });
  await expect(page.getByTestId("reconciler-queue")).toContainText("Queue depth");
  await expect(page.getByTestId("cluster-status")).toHaveText("Reachable");
  await expect(page.getByTestId("sites-by-phase").locator('li[data-phase="RUNNING"]')).toBeVisible();
  await screenshot(page, "operator-health");

  // Search: the demo customer's owner, by a part of their email address, whatever the case.
  await page.getByRole("link", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\/accounts\/platform\/search$/);
  await page.getByRole("searchbox", { name: "Search" }).fill("DEMO@sitepod");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\/accounts\/platform\/search\?q=DEMO%40sitepod$/);
  const demo = page.locator('[data-testid="search-user"][data-email="demo@sitepod.local"]');
  await expect(demo).toContainText("Demo customer");
  // The operator cannot sign in as themselves.
  await page.getByRole("searchbox", { name: "Search" }).fill("admin@sitepod");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(
    page
      .locator('[data-testid="search-user"][data-email="admin@sitepod.local"]')
      .getByTestId("sign-in-as-refused"),
  ).toHaveText("You cannot sign in as yourself.");
  await page.getByRole("searchbox", { name: "Search" }).fill("demo");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("search-accounts")).toContainText("Demo customer");
  await screenshot(page, "operator-search");

  // Sign in as the owner: a reason is required, and the customer will read it.
  await demo.getByRole("button", { name: "Sign in as Demo user" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("at most 60 minutes");
  await dialog.getByRole("button", { name: "Sign in as Demo user" }).click();
  await expect(dialog.getByTestId("impersonation-reason-error")).toContainText("at least 10 characters");
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Sign in as Demo user" }).click();

  // The panel is the customer's now, under the banner, on every page.
  await expect(page).toHaveURL(/\/accounts\/demo\/sites$/);
  const banner = page.getByTestId("support-banner");
  await expect(banner).toContainText("You are signed in as Demo user for support");
  await expect(page.getByRole("link", { name: "Platform health" })).toHaveCount(0);
  await screenshot(page, "operator-support-banner");

  // The customer's audit log: who signed in, and why.
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(banner).toBeVisible();
  const started = page.locator('[data-testid="audit-row"]').filter({ hasText: reason }).first();
  await expect(started).toContainText(`Support (Platform admin) signed in as you: ${reason}`);
  await expect(started.getByTestId("audit-support")).toContainText("Support (Platform admin)");
  await screenshot(page, "operator-support-audit-log");

  // What only the customer may do stays theirs.
  await page.goto("/profile/password");
  await expect(banner).toBeVisible();
  await expect(page.getByText("Only Demo user can see their password")).toBeVisible();
  // The operator's own tools are not reachable from the customer's session.
  const health = await page.request.get("/api/v1/platform/health");
  expect(health.status()).toBe(404);

  // End: the operator's own panel again, back at the search.
  await page.goto("/accounts/demo/sites");
  await banner.getByRole("button", { name: "End" }).click();
  await expect(page).toHaveURL(/\/accounts\/platform\/search$/);
  await expect(page.getByTestId("support-banner")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Platform health" })).toBeVisible();

  // The customer's account records the end too (read here as the operator, above it).
  await page.goto("/accounts/demo/audit-log");
  await expect(page.locator('[data-testid="audit-row"]').first()).toContainText(
    "Support (Platform admin) stopped acting as Demo user",
  );
});

test("a customer reaches neither the health page nor the search, and cannot sign in as anyone", async ({
  page,
}) => {
  await signIn(page, DEMO);
  await expect(page.getByRole("link", { name: "Platform health" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Search", exact: true })).toHaveCount(0);
  expect((await page.goto("/accounts/demo/health"))?.status()).toBe(404);
  expect((await page.goto("/accounts/demo/search?q=demo"))?.status()).toBe(404);
  for (const path of ["/api/v1/platform/health", "/api/v1/search?q=demo"]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(404);
  }
});
