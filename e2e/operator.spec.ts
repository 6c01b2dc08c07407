import { expect, test } from "@playwright/test";
import { ADMIN, screenshot, signIn, uniqueName } from "./support/helpers";
import { fillLimits } from "./support/hosting";

test("the operator sees every account in one tree and creates an agency with an allotment", async ({
  page,
}) => {
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/accounts\/platform\/customers$/);
  await expect(page.getByRole("heading", { name: "Accounts", exact: true, level: 1 })).toBeVisible();
  const pixel = page.locator('[data-testid="account-row"][data-slug="pixel-agency"]');
  await expect(pixel).toContainText("Agency");
  await expect(page.locator('[data-testid="account-row"][data-slug="acme-hosting"]')).toContainText(
    "Reseller",
  );
  // Clients are listed below their agency, with their plan.
  await expect(page.locator('[data-testid="account-row"][data-slug="northwind"]')).toContainText("Business");

  const slug = uniqueName("studio");
  await page.getByRole("button", { name: "New account" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill(`Studio ${slug.slice(-6)}`);
  await dialog.getByLabel("Short name").fill(slug);
  await dialog.getByLabel("Kind").selectOption("AGENCY");
  await dialog.getByLabel("Plan").selectOption("");
  await dialog.getByLabel(/Give an allotment/).check();
  await fillLimits(page, "allotment", 10);
  await screenshot(page, "operator-new-agency");
  await dialog.getByRole("button", { name: "Create account" }).click();
  await expect(dialog.getByTestId("invite-link")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  const row = page.locator(`[data-testid="account-row"][data-slug="${slug}"]`);
  await expect(row).toContainText("Agency");
  await expect(row.getByTestId("account-status")).toHaveText("Active");
  await screenshot(page, "operator-accounts");

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.locator('[data-testid="audit-row"]').first()).toContainText(
    `Invited the owner of Studio`,
  );
  await expect(
    page
      .locator('[data-testid="audit-row"]')
      .filter({ hasText: `Created agency account Studio ${slug.slice(-6)}` }),
  ).toHaveCount(1);

  // Back on the accounts: the allotment of an existing agency. Less than what its clients' plans
  // already hold is refused with the reason in the form; a new value is saved and shown again.
  await page.goto("/accounts/platform/customers");
  await pixel.getByRole("button", { name: "Edit allotment" }).click();
  const allotment = page.getByRole("dialog");
  await expect(allotment.locator("#edit-allotment-maxSites")).not.toHaveValue("");
  await allotment.locator("#edit-allotment-maxSites").fill("1");
  await allotment.getByRole("button", { name: "Save allotment" }).click();
  await expect(allotment.getByTestId("allotment-form-error")).toContainText("already handed out");
  await allotment.getByRole("button", { name: "Cancel" }).click();
  await expect(allotment).toBeHidden();

  await row.getByRole("button", { name: "Edit allotment" }).click();
  await expect(allotment.locator("#edit-allotment-maxSites")).toHaveValue("10");
  await allotment.locator("#edit-allotment-maxSites").fill("25");
  await allotment.getByRole("button", { name: "Save allotment" }).click();
  await expect(allotment).toBeHidden();
  await row.getByRole("button", { name: "Edit allotment" }).click();
  await expect(allotment.locator("#edit-allotment-maxSites")).toHaveValue("25");
  await allotment.getByRole("button", { name: "Cancel" }).click();
});
