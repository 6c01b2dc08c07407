import { expect, type Page, test } from "@playwright/test";
import { e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";

const prisma = e2ePrisma();
test.afterAll(async () => {
  await prisma.$disconnect();
});

async function createSite(page: Page, name: string, domain: string): Promise<string> {
  await page.goto("/accounts/demo/sites/new");
  await page.getByLabel("Site name").fill(name);
  await page.getByLabel("Primary domain").fill(domain);
  await page.getByRole("button", { name: "Create site" }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites\/(?!new$)[a-z0-9]+$/);
  return page.url().split("/").pop() ?? "";
}

function domainRow(page: Page, hostname: string) {
  return page.locator(`[data-testid="domain-row"][data-hostname="${hostname}"]`);
}

async function addDomain(page: Page, domain: string) {
  await page.getByRole("textbox", { name: "Add a domain" }).fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
}

test("domains: add an international name, refuse a taken one at the field, change the primary, remove one", async ({
  page,
}) => {
  await signIn(page);
  const taken = `${uniqueName("taken")}.example.test`;
  await createSite(page, uniqueName("first"), taken);
  const primary = `${uniqueName("main")}.example.test`;
  const siteId = await createSite(page, uniqueName("domains"), primary);

  // The card lists the primary with its TLS status; the local platform has no ClusterIssuer.
  await expect(domainRow(page, primary)).toContainText("Primary");
  await expect(domainRow(page, primary).getByTestId("domain-tls-detail")).toContainText(
    "SITEPOD_CLUSTER_ISSUER",
  );
  await expect(page.getByTestId("domain-usage")).toBeVisible();

  // Typed in unicode, stored in punycode, shown in both.
  const label = uniqueName("bücher");
  await addDomain(page, `${label}.example.test`);
  await expect.poll(() => prisma.domain.count({ where: { siteId } })).toBe(2);
  const stored = await prisma.domain.findFirstOrThrow({ where: { siteId, isPrimary: false } });
  expect(stored.hostname).toMatch(/^xn--/);
  const idnRow = domainRow(page, stored.hostname);
  await expect(idnRow).toContainText(`${label}.example.test`);
  await expect(idnRow.getByTestId("domain-punycode")).toHaveText(stored.hostname);
  await screenshot(page, "domains-idn");

  // Another site's domain: refused next to the field with the neutral message, nothing written.
  const before = await prisma.domain.count();
  await addDomain(page, taken.toUpperCase());
  await expect(page.getByTestId("add-domain-error")).toHaveText(
    "This domain is not available. Choose another domain, or contact your provider if it is yours.",
  );
  expect(await prisma.domain.count()).toBe(before);

  // Make the international name primary; the old primary can then be removed.
  await idnRow.getByRole("button", { name: "Make primary" }).click();
  await expect(idnRow).toContainText("Primary");
  await domainRow(page, primary).getByRole("button", { name: "Remove" }).click();
  await page.getByRole("button", { name: "Remove domain" }).click();
  await expect(domainRow(page, primary)).toHaveCount(0);
  expect(await prisma.domain.count({ where: { siteId } })).toBe(1);
  const site = await prisma.site.findUniqueOrThrow({ where: { id: siteId } });
  // Created at 1; add, make primary and remove each bumped it.
  expect(site.generation).toBe(4);
});
