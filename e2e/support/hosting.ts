import { expect, type Page } from "@playwright/test";

/** Creates a site through the New site form of `accountSlug`; answers its id. */
export async function createSiteThroughUi(page: Page, accountSlug: string, name: string): Promise<string> {
  await page.goto(`/accounts/${accountSlug}/sites/new`);
  await page.getByLabel("Site name").fill(name);
  await page.getByLabel("Primary domain").fill(`${name}.example.test`);
  await page.getByRole("button", { name: "Create site" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: `Site ${name} created` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/accounts/${accountSlug}/sites/(?!new$)[a-z0-9]+$`));
  return page.url().split("/").at(-1) ?? "";
}

/** Fills the limit fields of a plan or allotment form (the same values for every limit but sites). */
export async function fillLimits(page: Page, prefix: string, maxSites: number): Promise<void> {
  const values: Record<string, number> = {
    maxSites,
    maxDomains: 10,
    maxDatabases: 3,
    maxCronJobs: 5,
    storageGiB: 10,
    cpuMillicores: 1000,
    memoryMiB: 1024,
    backupsKept: 3,
  };
  for (const [key, value] of Object.entries(values)) {
    await page.locator(`#${prefix}-${key}`).fill(String(value));
  }
}
