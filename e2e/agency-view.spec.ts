import { expect, test } from "@playwright/test";
import { AGENCY, screenshot, signIn, uniqueName } from "./support/helpers";
import { createSiteThroughUi } from "./support/hosting";

test("an agency sees its two clients' sites in one table, filters them and steps into a client", async ({
  page,
}) => {
  await signIn(page, AGENCY);
  await expect(page).toHaveURL(/\/accounts\/pixel-agency\/customers$/);
  await expect(page.locator('[data-testid="account-row"][data-slug="northwind"]')).toBeVisible();
  await expect(page.locator('[data-testid="account-row"][data-slug="wayfarer"]')).toBeVisible();
  await screenshot(page, "agency-clients");

  // The agency works in its clients' accounts: one site each, through the clients' own forms.
  const north = uniqueName("north");
  const way = uniqueName("way");
  await createSiteThroughUi(page, "northwind", north);
  await createSiteThroughUi(page, "wayfarer", way);

  await page.goto("/accounts/pixel-agency/customers");
  await page.getByRole("link", { name: "Client sites" }).click();
  await expect(page).toHaveURL(/\/accounts\/pixel-agency\/client-sites$/);
  const northRow = page.locator(`[data-testid="client-site-row"][data-site-name="${north}"]`);
  const wayRow = page.locator(`[data-testid="client-site-row"][data-site-name="${way}"]`);
  await expect(northRow).toContainText("Northwind Traders");
  await expect(northRow).toContainText(`${north}.example.test`);
  await expect(wayRow).toContainText("Wayfarer Coffee");
  // Live status, as in the sites table: provisioning turns into running without a reload.
  await expect(northRow.getByTestId("site-status")).toHaveAttribute("data-phase", "RUNNING", {
    timeout: 90_000,
  });
  await expect(wayRow.getByTestId("site-status")).toHaveAttribute("data-phase", "RUNNING", {
    timeout: 90_000,
  });
  await screenshot(page, "agency-client-sites");
  await page.getByRole("button", { name: "Dark theme" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await screenshot(page, "agency-client-sites-dark");
  await page.getByRole("button", { name: "Light theme" }).click();

  await page.getByLabel("Search sites, domains and clients").fill("wayfarer");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=wayfarer/);
  await expect(northRow).toHaveCount(0);
  await expect(wayRow).toBeVisible();
  await page.getByLabel("Search sites, domains and clients").fill("");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).not.toHaveURL(/q=/);
  await page.getByLabel("Filter by status").selectOption("SUSPENDED");
  await expect(page).toHaveURL(/status=SUSPENDED/);
  await expect(page.getByText("No matching sites")).toBeVisible();
  await page.getByLabel("Filter by status").selectOption("RUNNING");
  await expect(northRow).toBeVisible();
  await page.getByRole("button", { name: /^Client/ }).click();
  await expect(page).toHaveURL(/sort=client/);

  await northRow.getByRole("link", { name: "Northwind Traders" }).click();
  await expect(page).toHaveURL(/\/accounts\/northwind\/sites$/);
  await expect(page.locator(`[data-testid="site-row"][data-site-name="${north}"]`)).toBeVisible();
});
