import { expect, type Page, test } from "@playwright/test";
import { e2ePrisma, RESELLER, screenshot, signIn, uniqueName } from "./support/helpers";
import { fillLimits } from "./support/hosting";

/**
 * A reseller's white label, its plan catalogue over time and its customers in bulk, as the seeded
 * reseller (Acme Hosting): it brands the panel of its customers (a customer's owner then sees that
 * name, logo and colour instead of Sitepod's), archives a plan (no longer offered) and deletes an
 * unused one, and suspends two customers at once. The tests follow each other; the brand is removed
 * at the end, so that the other specs see Acme Hosting's customers as Sitepod's.
 */
test.describe.configure({ mode: "serial" });

const run = uniqueName("brand").slice(-6);
const brandName = `Cloud ${run}`;
/** teal-700: reads on white (5.5:1) and carries white text. */
const BRAND_COLOUR = "#0f766e";
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><title>${brandName}</title><rect width="32" height="32" rx="6" fill="${BRAND_COLOUR}"/></svg>`;
const planName = `Brand ${run}`;
const archivedPlan = `Old ${run}`;
const customer = { slug: `bc-${run}`, name: `Branded ${run}` };
const owner = { name: "Bo Brand", email: `bo-${run}@example.test`, password: "a-long-enough-password" };
const bulk = [
  { slug: `bulk-${run}-a`, name: `Bulk ${run} A` },
  { slug: `bulk-${run}-b`, name: `Bulk ${run} B` },
];

async function createCustomer(
  page: Page,
  account: { slug: string; name: string },
  plan: string,
): Promise<string> {
  await page.goto("/accounts/acme-hosting/customers");
  await page.getByRole("button", { name: "New customer" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill(account.name);
  await dialog.getByLabel("Short name").fill(account.slug);
  await dialog.getByLabel("Plan").selectOption({ label: plan });
  await dialog.getByRole("button", { name: "Create customer" }).click();
  const link = await dialog.getByTestId("invite-link").inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  return link;
}

/** The background colour the page gives a primary button (a link styled as one). */
function backgroundOf(page: Page, name: string) {
  return page
    .getByRole("link", { name })
    .first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);
}

test.afterAll(async () => {
  const prisma = e2ePrisma();
  try {
    const reseller = await prisma.account.findUniqueOrThrow({ where: { slug: "acme-hosting" } });
    await prisma.brand.deleteMany({ where: { accountId: reseller.id } });
  } finally {
    await prisma.$disconnect();
  }
});

test("a reseller brands its customers' panel, with a live preview; a light colour is refused", async ({
  page,
}) => {
  await signIn(page, RESELLER);
  await page.getByRole("link", { name: "Branding" }).click();
  await expect(page.getByRole("heading", { name: "Branding", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle("Branding · Acme Hosting · Sitepod");

  await page.getByLabel("Name", { exact: true }).fill(brandName);
  // The preview follows the typing, before anything is saved.
  await expect(page.getByTestId("brand-preview")).toContainText(brandName);
  // Yellow cannot carry white text nor be read on white: said before saving, and refused at the field.
  await page.getByLabel("Colour", { exact: true }).fill("#ffcc00");
  await expect(page.getByTestId("colour-check")).toContainText("#ffcc00 is too light");
  await page.getByRole("button", { name: "Save branding" }).click();
  await expect(page.getByTestId("brand-colour-error")).toContainText("below the 4.5:1");
  await screenshot(page, "brand-colour-refused");

  await page.getByLabel("Colour", { exact: true }).fill(BRAND_COLOUR);
  await expect(page.getByTestId("colour-check")).toContainText("Readable");
  await page.getByLabel("Logo").setInputFiles({
    name: "logo.svg",
    mimeType: "image/svg+xml",
    buffer: Buffer.from(LOGO),
  });
  await expect(page.getByTestId("brand-preview").getByTestId("brand-logo")).toBeVisible();
  await page.getByRole("button", { name: "Save branding" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Branding saved" })).toBeVisible();
  await screenshot(page, "brand-saved");

  const prisma = e2ePrisma();
  try {
    const reseller = await prisma.account.findUniqueOrThrow({ where: { slug: "acme-hosting" } });
    const brand = await prisma.brand.findUniqueOrThrow({ where: { accountId: reseller.id } });
    expect([brand.name, brand.primaryColor, brand.logoContentType]).toEqual([
      brandName,
      BRAND_COLOUR,
      "image/svg+xml",
    ]);
  } finally {
    await prisma.$disconnect();
  }
  // The reseller's own panel stays Sitepod's: the brand is for the accounts below it.
  await expect(page.locator("aside").getByTestId("panel-name")).toHaveText("Sitepod");
});

test("a customer's owner sees the reseller's name, logo and colour instead of Sitepod's", async ({
  page,
  browser,
}) => {
  await signIn(page, RESELLER);
  await page.goto("/accounts/acme-hosting/plans");
  await page.getByRole("button", { name: "New plan" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Plan name").fill(planName);
  await fillLimits(page, "plan", 2);
  await dialog.getByRole("button", { name: "Create plan" }).click();
  await expect(page.locator(`[data-plan-name="${planName}"]`)).toBeVisible();
  const inviteLink = await createCustomer(page, customer, planName);

  const context = await browser.newContext();
  const own = await context.newPage();
  try {
    await own.goto(inviteLink);
    await own.getByLabel("Your name").fill(owner.name);
    await own.getByLabel("Email").fill(owner.email);
    await own.getByLabel("Password").fill(owner.password);
    await own.getByRole("button", { name: "Create user" }).click();
    await own.getByRole("link", { name: "Sign in to accept" }).click();
    await own.getByLabel("Email").fill(owner.email);
    await own.getByLabel("Password").fill(owner.password);
    await own.getByRole("button", { name: "Sign in" }).click();
    await own.getByRole("button", { name: `Accept and open ${customer.name}` }).click();
    await expect(own).toHaveURL(new RegExp(`/accounts/${customer.slug}$`));

    await own.goto(`/accounts/${customer.slug}/sites`);
    const header = own.locator("aside").getByTestId("panel-logo");
    await expect(header.getByTestId("panel-name")).toHaveText(brandName);
    await expect(own.locator("aside")).not.toContainText("Sitepod");
    await expect(own).toHaveTitle(`Sites · ${customer.name} · ${brandName}`);
    // The logo, served as the image it is, never sniffed, an SVG sandboxed.
    const logo = header.getByTestId("brand-logo");
    await expect(logo).toBeVisible();
    expect(await logo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const src = await logo.getAttribute("src");
    expect(src).toMatch(/^\/api\/v1\/accounts\/[a-z0-9]+\/brand\/logo\?v=[0-9a-f]{16}$/);
    const response = await own.request.get(src ?? "");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("image/svg+xml");
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response.headers()["content-security-policy"]).toContain("sandbox");
    // The brand colour on the panel's primary buttons, with white text.
    expect(await backgroundOf(own, "New site")).toBe("rgb(15, 118, 110)");
    await screenshot(own, "brand-customer-panel");

    // Another reseller's customer never gets this logo: the owner's session asks for a stranger's.
    const foreign = await own.request.get("/api/v1/accounts/cmnotanaccount0000000000/brand/logo");
    expect(foreign.status()).toBe(404);
  } finally {
    await context.close();
  }
});

test("an archived plan stays with its customers but is no longer offered; only an unused plan is deleted", async ({
  page,
}) => {
  await signIn(page, RESELLER);
  await page.goto("/accounts/acme-hosting/plans");
  await page.getByRole("button", { name: "New plan" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Plan name").fill(archivedPlan);
  await fillLimits(page, "plan", 1);
  await dialog.getByRole("button", { name: "Create plan" }).click();
  const row = page.locator(`[data-plan-name="${archivedPlan}"]`);
  await expect(row).toBeVisible();

  await row.getByRole("button", { name: "Archive" }).click();
  await expect(dialog).toContainText("no longer offered");
  await dialog.getByRole("button", { name: "Archive plan" }).click();
  await expect(row.getByTestId("plan-archived")).toHaveText("Archived");
  await screenshot(page, "plan-archived");

  // Not offered for a new customer, nor for a plan change.
  await page.goto("/accounts/acme-hosting/customers");
  await page.getByRole("button", { name: "New customer" }).click();
  await expect(dialog.getByLabel("Plan").locator("option", { hasText: archivedPlan })).toHaveCount(0);
  await expect(dialog.getByLabel("Plan").locator("option", { hasText: planName })).toHaveCount(1);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  const customerRow = page.locator(`[data-testid="account-row"][data-slug="${customer.slug}"]`);
  await customerRow.getByRole("button", { name: "Plan" }).click();
  await expect(dialog.getByLabel("Plan").locator("option", { hasText: archivedPlan })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // A plan a customer is on cannot be deleted: the dialog says how many are on it.
  await page.goto("/accounts/acme-hosting/plans");
  await page.locator(`[data-plan-name="${planName}"]`).getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Delete plan" }).click();
  await expect(dialog.getByTestId("dialog-error")).toHaveText(
    `The plan ${planName} cannot be deleted: 1 account is on it. Move it to another plan first, or archive the plan to stop offering it.`,
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
  // The archived one, used by nobody, can.
  await row.getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Delete plan" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: `Plan ${archivedPlan} deleted` })).toBeVisible();
  await expect(row).toHaveCount(0);
});

test("the reseller finds two customers by search and suspends them in one go, then one fails alone", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, RESELLER);
  for (const account of bulk) await createCustomer(page, account, planName);

  // Searched on the server: the URL keeps the search.
  await page.goto("/accounts/acme-hosting/customers");
  await page.getByRole("searchbox", { name: "Search customers" }).fill(`bulk-${run}`);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`\\?q=bulk-${run}$`));
  const rows = page.locator('[data-testid="account-row"]');
  await expect(rows).toHaveCount(2);
  await expect(rows.first().getByTestId("account-usage")).toContainText("Domains");

  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(page.getByTestId("bulk-bar")).toContainText("2 customers selected");
  await page.getByRole("button", { name: "Suspend selected", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill("Unpaid invoice");
  await dialog.getByRole("button", { name: "Suspend 2 customers" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "2 customers suspended" })).toBeVisible();
  for (const account of bulk) {
    await expect(
      page.locator(`[data-testid="account-row"][data-slug="${account.slug}"]`).getByTestId("account-status"),
    ).toHaveText("Suspended");
  }
  await screenshot(page, "bulk-suspended");

  // Each suspension is in the audit log as a single one would be.
  const prisma = e2ePrisma();
  try {
    for (const account of bulk) {
      const row = await prisma.account.findUniqueOrThrow({ where: { slug: account.slug } });
      const change = await prisma.changeLog.findFirstOrThrow({
        where: { kind: "Account", objectId: row.id },
        orderBy: { id: "desc" },
      });
      expect(change.summary).toBe(`Suspended ${account.name}: Unpaid invoice`);
    }
  } finally {
    await prisma.$disconnect();
  }

  // One back on its own; both selected again: the one still suspended is reported, the other goes.
  const first = page.locator(`[data-testid="account-row"][data-slug="${bulk[0]?.slug}"]`);
  await first.getByRole("button", { name: "Unsuspend" }).click();
  await dialog.getByRole("button", { name: "Unsuspend" }).click();
  await expect(first.getByTestId("account-status")).toHaveText("Active");
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await page.getByRole("button", { name: "Suspend selected", exact: true }).click();
  await dialog.getByLabel("Reason").fill("Second notice");
  await dialog.getByRole("button", { name: "Suspend 2 customers" }).click();
  const report = page.getByTestId("bulk-report");
  await expect(report).toContainText("1 customer suspended; 1 customer could not be");
  await expect(report.getByTestId("bulk-failure")).toHaveText(
    `${bulk[1]?.name}: ${bulk[1]?.name} is already suspended.`,
  );
  await screenshot(page, "bulk-partial");

  // And lifted in bulk.
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await page.getByRole("button", { name: "Unsuspend selected" }).click();
  await dialog.getByRole("button", { name: "Unsuspend 2 customers" }).click();
  for (const account of bulk) {
    await expect(
      page.locator(`[data-testid="account-row"][data-slug="${account.slug}"]`).getByTestId("account-status"),
    ).toHaveText("Active");
  }
});
