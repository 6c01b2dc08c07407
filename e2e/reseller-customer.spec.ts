import { expect, test } from "@playwright/test";
import { e2ePrisma, RESELLER, screenshot, signIn, uniqueName } from "./support/helpers";
import { createSiteThroughUi, fillLimits } from "./support/hosting";

// A reseller sells a plan to a new customer; the customer joins through the owner link and uses it
// up to its limit. The second test follows the first.
test.describe.configure({ mode: "serial" });

const planName = uniqueName("Tiny");
const smallerPlan = uniqueName("Micro");
const customerSlug = uniqueName("shop");
const customerName = `Shop ${customerSlug.slice(-6)}`;
let inviteLink = "";

test("a reseller creates a plan and a customer, and gets the owner's link once", async ({ page }) => {
  await signIn(page, RESELLER);
  await expect(page).toHaveURL(/\/accounts\/acme-hosting\/customers$/);
  await expect(page.getByRole("heading", { name: "Allotment" })).toBeVisible();

  await page.getByRole("link", { name: "Plans" }).click();
  await expect(page.locator('[data-plan-name="Starter"]')).toBeVisible();
  await page.getByRole("button", { name: "New plan" }).click();
  const dialog = page.getByRole("dialog");
  // A forgotten limit is refused at its field, not taken as 0.
  await dialog.getByLabel("Plan name").fill(planName);
  await dialog.getByRole("button", { name: "Create plan" }).click();
  await expect(dialog.getByTestId("plan-maxSites-error")).toHaveText("Enter the number of sites.");
  await fillLimits(page, "plan", 2);
  await screenshot(page, "plan-form");
  await dialog.getByRole("button", { name: "Create plan" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: `Plan ${planName} created` })).toBeVisible();
  await expect(page.locator(`[data-plan-name="${planName}"]`)).toBeVisible();
  // A second, smaller plan for the downgrade below.
  await page.getByRole("button", { name: "New plan" }).click();
  await dialog.getByLabel("Plan name").fill(smallerPlan);
  await fillLimits(page, "plan", 1);
  await dialog.getByRole("button", { name: "Create plan" }).click();
  await expect(page.locator(`[data-plan-name="${smallerPlan}"]`)).toBeVisible();
  await screenshot(page, "plans");

  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("button", { name: "New customer" }).click();
  await dialog.getByLabel("Name", { exact: true }).fill(customerName);
  await dialog.getByLabel("Short name").fill(customerSlug);
  // Acme Hosting holds an allotment: its customers need a plan, so "no plan" is not offered.
  await expect(dialog.getByLabel("Plan").locator("option", { hasText: "No plan" })).toHaveCount(0);
  await dialog.getByLabel("Plan").selectOption({ label: planName });
  await dialog.getByRole("button", { name: "Create customer" }).click();
  await expect(dialog.getByTestId("invite-link")).toBeVisible();
  inviteLink = await dialog.getByTestId("invite-link").inputValue();
  expect(inviteLink).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await screenshot(page, "customer-created-link");
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.locator(`[data-testid="account-row"][data-slug="${customerSlug}"]`);
  await expect(row).toContainText(planName);
  await expect(row.getByTestId("account-sites")).toHaveText("0 / 2");
  await expect(row.getByTestId("account-status")).toHaveText("Active");
  await screenshot(page, "reseller-customers");
});

test("the customer registers through the link, fills the plan and is refused the next site", async ({
  browser,
}) => {
  expect(inviteLink, "the first test must run first").not.toBe("");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(inviteLink);
  await expect(page.getByRole("heading", { name: `Join ${customerName}` })).toBeVisible();
  await screenshot(page, "invite-register");
  const email = `${customerSlug}@example.test`;
  await page.getByLabel("Your name").fill("Sam Shop");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("password-error")).toHaveText("Use at least 10 characters.");
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create user" }).click();
  // The same answer whether or not the email had a user: sign in, then accept.
  await expect(page.getByRole("status")).toContainText("Sign in to accept the invitation.");
  await screenshot(page, "invite-registered");
  await page.getByRole("link", { name: "Sign in to accept" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: `Accept and open ${customerName}` }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${customerSlug}$`));
  await expect(page.getByText("Owner", { exact: true })).toBeVisible();
  await expect(page.locator('[data-testid="usage-bar"][data-label="Sites"]')).toContainText("0 / 2");

  const prisma = e2ePrisma();
  try {
    const account = await prisma.account.findUniqueOrThrow({ where: { slug: customerSlug } });
    for (const name of [`${customerSlug}-a`, `${customerSlug}-b`]) {
      await createSiteThroughUi(page, customerSlug, name);
    }
    const before = await prisma.site.count({ where: { accountId: account.id } });
    expect(before).toBe(2);
    const last = await prisma.changeLog.findFirst({ orderBy: { id: "desc" }, select: { id: true } });

    // The panel says so before any form is filled...
    const full = "Your plan allows 2 sites; you have 2. Upgrade the plan or delete a site.";
    await page.goto(`/accounts/${customerSlug}/sites`);
    await expect(page.getByRole("button", { name: "New site" })).toBeDisabled();
    await expect(page.getByTestId("new-site-blocked")).toHaveText(full);
    await page.goto(`/accounts/${customerSlug}/sites/new`);
    await expect(page.getByTestId("new-site-blocked")).toHaveText(full);
    await expect(page.getByRole("button", { name: "Create site" })).toBeDisabled();
    await screenshot(page, "site-limit-refused");
    // ...and the server refuses a request that goes around the panel.
    const refused = await page.request.post(`/api/v1/accounts/${account.id}/sites`, {
      headers: { origin: new URL(page.url()).origin },
      data: { name: `${customerSlug}-c`, domain: `${customerSlug}-c.example.test`, app: "PHP" },
    });
    expect(refused.status()).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: "LIMIT_EXCEEDED", message: full } });
    expect(await prisma.site.count({ where: { accountId: account.id } })).toBe(2);
    expect(await prisma.domain.count({ where: { hostname: `${customerSlug}-c.example.test` } })).toBe(0);
    // Nothing written at all: not even a change-log row (reconciler status reports aside).
    expect(
      await prisma.changeLog.count({ where: { action: { not: "STATUS" }, id: { gt: last?.id ?? 0n } } }),
    ).toBe(0);

    await page.goto(`/accounts/${customerSlug}`);
    await expect(page.locator('[data-testid="usage-bar"][data-label="Sites"]')).toContainText("2 / 2");
    await screenshot(page, "customer-usage");
  } finally {
    await prisma.$disconnect();
    await context.close();
  }
});

test("the reseller cannot move the customer to a plan smaller than what it uses", async ({ page }) => {
  await signIn(page, RESELLER);
  const row = page.locator(`[data-testid="account-row"][data-slug="${customerSlug}"]`);
  await expect(row.getByTestId("account-sites")).toHaveText("2 / 2");
  await row.getByRole("button", { name: "Plan" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Plan").selectOption({ label: smallerPlan });
  await dialog.getByRole("button", { name: "Change plan" }).click();
  await expect(dialog.getByTestId("dialog-error")).toContainText(`The plan ${smallerPlan} is too small`);
  await screenshot(page, "downgrade-refused");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toContainText(planName);
});

test("the customer's owner invites a developer by link; the reseller reads who did what", async ({
  page,
  browser,
}) => {
  const context = await browser.newContext();
  const customer = await context.newPage();
  try {
    await signIn(customer, { email: `${customerSlug}@example.test`, password: "a-long-enough-password" });
    await customer.getByRole("link", { name: "Members" }).click();
    await expect(customer.locator('[data-testid="member-row"]')).toHaveCount(1);
    await customer.getByLabel("Email", { exact: true }).fill(`dev@${customerSlug}.test`);
    await customer.getByLabel("Role").selectOption("DEVELOPER");
    await customer.getByLabel("Send the link by email").uncheck();
    await customer.getByRole("button", { name: "Invite", exact: true }).click();
    const link = customer.getByTestId("invite-link");
    await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await expect(customer.locator('[data-testid="invite-row"]')).toContainText(`dev@${customerSlug}.test`);
    await screenshot(customer, "members");
    // Shown once: after a reload only the pending invitation remains, not its link.
    await customer.reload();
    await expect(customer.getByTestId("invite-link")).toHaveCount(0);
    await expect(customer.locator('[data-testid="invite-row"]')).toHaveCount(1);
  } finally {
    await context.close();
  }

  await signIn(page, RESELLER);
  await page.getByRole("link", { name: "Audit log" }).click();
  const rows = page.locator('[data-testid="audit-row"]');
  await expect(rows.filter({ hasText: `Invited dev@${customerSlug}.test` })).toContainText("Sam Shop");
  await expect(rows.filter({ hasText: `${customerSlug}-a` }).first()).toContainText(customerSlug);
  await screenshot(page, "audit-log");
});
