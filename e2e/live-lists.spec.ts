import { expect, test } from "@playwright/test";
import {
  expectSameDocument,
  markDocument,
  RESELLER,
  screenshot,
  signIn,
  uniqueName,
} from "./support/helpers";
import { fillLimits } from "./support/hosting";

/**
 * Lists rendered on the server follow the change stream like the site lists do: what the reseller
 * does in one tab shows in another without a reload, up to the end of a customer's termination
 * (which the reconciler finishes after the account's own rows are gone).
 */
test("a reseller's plans and customers follow changes made in another tab, termination included", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, RESELLER);
  const other = await page.context().newPage();
  const dialog = other.getByRole("dialog");
  const planName = uniqueName("Live");
  const slug = uniqueName("live");

  await page.goto("/accounts/acme-hosting/plans");
  await markDocument(page);
  await other.goto("/accounts/acme-hosting/plans");
  await other.getByRole("button", { name: "New plan" }).click();
  await dialog.getByLabel("Plan name").fill(planName);
  await fillLimits(other, "plan", 1);
  await dialog.getByRole("button", { name: "Create plan" }).click();
  await expect(page.locator(`[data-plan-name="${planName}"]`)).toBeVisible();
  await expectSameDocument(page);

  await page.goto("/accounts/acme-hosting/customers");
  await markDocument(page);
  await other.goto("/accounts/acme-hosting/customers");
  await other.getByRole("button", { name: "New customer" }).click();
  await dialog.getByLabel("Name", { exact: true }).fill(`Live ${slug.slice(-6)}`);
  await dialog.getByLabel("Short name").fill(slug);
  await dialog.getByLabel("Plan").selectOption({ label: planName });
  await dialog.getByRole("button", { name: "Create customer" }).click();
  await expect(dialog.getByTestId("invite-link")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  const row = page.locator(`[data-testid="account-row"][data-slug="${slug}"]`);
  await expect(row.getByTestId("account-status")).toHaveText("Active");
  await expect(row).toContainText(planName);

  const otherRow = other.locator(`[data-testid="account-row"][data-slug="${slug}"]`);
  await otherRow.getByRole("button", { name: "Suspend" }).click();
  await dialog.getByLabel("Reason").fill("Unpaid invoice");
  await dialog.getByRole("button", { name: "Suspend", exact: true }).click();
  await expect(row.getByTestId("account-status")).toHaveText("Suspended");
  await screenshot(page, "live-customer-suspended");

  await otherRow.getByRole("button", { name: "Terminate" }).click();
  await dialog.getByLabel(`Type ${slug} to confirm`).fill(slug);
  await dialog.getByRole("button", { name: "Terminate account" }).click();
  // Gone once the reconciler has finished (an account without sites goes in a moment, often before
  // "Terminating" could be seen): in this tab, which nobody touched.
  await expect(row).toHaveCount(0, { timeout: 90_000 });
  await expectSameDocument(page);

  // The provider's audit log records the end of the termination.
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(
    page
      .locator('[data-testid="audit-row"]')
      .filter({ hasText: `Terminated Live ${slug.slice(-6)} (${slug})` }),
  ).toHaveCount(1);
  await other.close();
});
