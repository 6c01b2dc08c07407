import { expect, test } from "@playwright/test";
import { e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";

const prisma = e2ePrisma();
test.afterAll(async () => {
  await prisma.$disconnect();
});

async function rowCounts() {
  const [sites, domains, changes] = await Promise.all([
    prisma.site.count(),
    prisma.domain.count(),
    // STATUS rows are the reconciler's, still provisioning the first site in the background.
    prisma.changeLog.count({ where: { action: { not: "STATUS" } } }),
  ]);
  return { sites, domains, changes };
}

async function submitNewSite(page: import("@playwright/test").Page, name: string, domain: string) {
  await page.goto("/accounts/demo/sites/new");
  await page.getByLabel("Site name").fill(name);
  await page.getByLabel("Primary domain").fill(domain);
  await page.getByRole("button", { name: "Create site" }).click();
}

test("bad input is answered at the field and writes nothing", async ({ page }) => {
  await signIn(page);

  // A site whose domain the second attempt will try to take.
  const taken = `${uniqueName("taken")}.example.test`;
  const owner = uniqueName("owner");
  await submitNewSite(page, owner, taken);
  await expect(page).toHaveURL(/\/accounts\/demo\/sites\/(?!new$)[a-z0-9]+$/);

  const before = await rowCounts();

  await submitNewSite(page, "Not_A_Valid Name!", `${uniqueName("free")}.example.test`);
  await expect(page.getByTestId("name-error")).toHaveText("Use lower-case letters only.");
  await expect(page.getByLabel("Site name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("domain-error")).toHaveCount(0);
  await screenshot(page, "new-site-invalid-name");

  // Names Sitepod gives its own objects in the namespace.
  await submitNewSite(page, "sitepod-suspended", `${uniqueName("reserved")}.example.test`);
  await expect(page.getByTestId("name-error")).toHaveText(
    'Names starting with "sitepod" are reserved for Sitepod\'s own objects. Choose another name.',
  );
  await expect(page.getByLabel("Site name")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sites\/new$/);

  await page.getByLabel("Site name").fill(uniqueName("second"));
  await page.getByLabel("Primary domain").fill(taken.toUpperCase());
  await page.getByRole("button", { name: "Create site" }).click();
  await expect(page.getByTestId("domain-error")).toContainText("This domain is not available.");
  await expect(page.getByTestId("name-error")).toHaveCount(0);
  // The field to fix has the focus, its message in view (a phone shows the form's bottom after Create).
  await expect(page.getByLabel("Primary domain")).toBeFocused();
  await expect(page.getByTestId("domain-error")).toBeInViewport();
  await expect(page).toHaveURL(/\/sites\/new$/);
  await screenshot(page, "new-site-taken-domain");

  expect(await rowCounts()).toEqual(before);
});
