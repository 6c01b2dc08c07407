import { type Browser, type BrowserContext, expect, type Page } from "@playwright/test";
import type { LimitKey } from "../../lib/validation/plan";
import { RESELLER, signIn } from "./helpers";

/** Creates a site through the New site form of `accountSlug`; answers its id. */
export async function createSiteThroughUi(
  page: Page,
  accountSlug: string,
  name: string,
  options: { app?: "WORDPRESS" | "PHP"; storageGiB?: number } = {},
): Promise<string> {
  await page.goto(`/accounts/${accountSlug}/sites/new`);
  await page.getByLabel("Site name").fill(name);
  await page.getByLabel("Primary domain").fill(`${name}.example.test`);
  if (options.app) await page.getByLabel("Application").selectOption(options.app);
  if (options.storageGiB !== undefined)
    await page.getByLabel("Storage (GiB)").fill(String(options.storageGiB));
  await page.getByRole("button", { name: "Create site" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: `Site ${name} created` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/accounts/${accountSlug}/sites/(?!new$)[a-z0-9]+$`));
  return page.url().split("/").at(-1) ?? "";
}

/**
 * Fills the limit fields of a plan or allotment form: `maxSites` as given, the others from
 * `overrides` or else the same values every time.
 */
export async function fillLimits(
  page: Page,
  prefix: string,
  maxSites: number,
  overrides: Partial<Record<LimitKey, number>> = {},
): Promise<void> {
  const values: Record<LimitKey, number> = {
    maxSites,
    maxDomains: 10,
    maxDatabases: 3,
    maxCronJobs: 5,
    storageGiB: 10,
    cpuMillicores: 1000,
    memoryMiB: 1024,
    backupsKept: 3,
    ...overrides,
  };
  for (const [key, value] of Object.entries(values)) {
    await page.locator(`#${prefix}-${key}`).fill(String(value));
  }
}

export interface Customer {
  slug: string;
  name: string;
  owner: { name: string; email: string; password: string };
}

/**
 * As the seeded reseller (Acme Hosting): creates a plan with `limits` and a customer account on it,
 * then the customer's owner registers through the owner's link and accepts it. Answers the owner's
 * browser context, signed in and on the account's page; the caller closes it.
 */
export async function sellPlanToNewCustomer(
  page: Page,
  browser: Browser,
  options: { planName: string; limits: Record<LimitKey, number>; customer: Customer },
): Promise<BrowserContext> {
  const { planName, limits, customer } = options;
  await signIn(page, RESELLER);
  await page.getByRole("link", { name: "Plans" }).click();
  await page.getByRole("button", { name: "New plan" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Plan name").fill(planName);
  await fillLimits(page, "plan", limits.maxSites, limits);
  await dialog.getByRole("button", { name: "Create plan" }).click();
  await expect(page.locator(`[data-plan-name="${planName}"]`)).toBeVisible();

  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("button", { name: "New customer" }).click();
  await dialog.getByLabel("Name", { exact: true }).fill(customer.name);
  await dialog.getByLabel("Short name").fill(customer.slug);
  await dialog.getByLabel("Plan").selectOption({ label: planName });
  await dialog.getByRole("button", { name: "Create customer" }).click();
  const inviteLink = await dialog.getByTestId("invite-link").inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();

  const context = await browser.newContext();
  const owner = await context.newPage();
  await owner.goto(inviteLink);
  await owner.getByLabel("Your name").fill(customer.owner.name);
  await owner.getByLabel("Email").fill(customer.owner.email);
  await owner.getByLabel("Password").fill(customer.owner.password);
  await owner.getByRole("button", { name: "Create user" }).click();
  await owner.getByRole("link", { name: "Sign in to accept" }).click();
  await owner.getByLabel("Email").fill(customer.owner.email);
  await owner.getByLabel("Password").fill(customer.owner.password);
  await owner.getByRole("button", { name: "Sign in" }).click();
  await owner.getByRole("button", { name: `Accept and open ${customer.name}` }).click();
  await expect(owner).toHaveURL(new RegExp(`/accounts/${customer.slug}$`));
  return context;
}
