import { expect, type Page, test } from "@playwright/test";
import type { BrowserContext } from "@playwright/test";
import { accountDatabasePrefix } from "../lib/validation/database";
import type { LimitKey } from "../lib/validation/plan";
import { e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";
import { type Customer, createSiteThroughUi, sellPlanToNewCustomer } from "./support/hosting";

/**
 * A customer on a tight plan uses it and hits each of its limits: a database and a user with
 * access to it, and a cron job, counted against the plan (the WordPress site's own database counted,
 * its built-in wp-cron not); then sites, domains, databases, cron jobs, storage, CPU and memory, each
 * refused with what the limit is, what is used and what to do, next to the field at fault or as the
 * form's alert, and nothing written. Two real sites (one WordPress, one plain PHP) in all: storage,
 * CPU and memory are hit at site creation and in the site's settings, without a third site.
 * The tests follow each other.
 */
test.describe.configure({ mode: "serial" });

const PLAN: Record<LimitKey, number> = {
  maxSites: 2,
  maxDomains: 3,
  maxDatabases: 2,
  maxCronJobs: 1,
  storageGiB: 8,
  cpuMillicores: 500,
  memoryMiB: 1536,
  backupsKept: 1,
};
const planName = uniqueName("Tight");
const slug = uniqueName("lim");
const customer: Customer = {
  slug,
  name: `Limits ${slug.slice(-6)}`,
  owner: { name: "Lee Limits", email: `${slug}@example.test`, password: "a-long-enough-password" },
};
const prefix = accountDatabasePrefix(slug);
const database = `${prefix}shop`;
const databaseUser = `${prefix}app`;
/** The WordPress site (5 GiB) and, later, the plain PHP one. */
const blog = `${slug}-a`;
const other = `${slug}-b`;
let blogUrl = "";

const prisma = e2ePrisma();
test.afterAll(async () => {
  await prisma.$disconnect();
});

function usageBar(page: Page, label: string) {
  return page.locator(`[data-testid="usage-bar"][data-label="${label}"]`).getByTestId("usage-value");
}

/** The account's rows a refused change must leave as they were, and its change-log position. */
async function accountState() {
  const account = await prisma.account.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  const where = { accountId: account.id };
  const [sites, domains, databases, databaseUsers, cronJobs, lastChange] = await Promise.all([
    prisma.site.findMany({
      where,
      select: { name: true, generation: true, cpuMillicores: true, memoryMiB: true, storageGiB: true },
      orderBy: { name: "asc" },
    }),
    prisma.domain.count({ where: { site: where } }),
    prisma.database.count({ where }),
    prisma.databaseUser.count({ where }),
    prisma.cronJob.count({ where }),
    prisma.changeLog.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
  ]);
  return { sites, domains, databases, databaseUsers, cronJobs, lastChange: lastChange?.id ?? 0n };
}

/** Nothing written since `before`: the same rows, and no change-log row but the reconciler's status reports. */
async function expectNothingWritten(before: Awaited<ReturnType<typeof accountState>>) {
  const { lastChange, ...rows } = await accountState();
  const { lastChange: since, ...rowsBefore } = before;
  expect(rows).toEqual(rowsBefore);
  expect(await prisma.changeLog.count({ where: { action: { not: "STATUS" }, id: { gt: since } } })).toBe(0);
}

async function signInAsOwner(page: Page) {
  await signIn(page, customer.owner);
}

test("a reseller sells a tight plan; its customer's owner joins and sees it unused", async ({
  page,
  browser,
}) => {
  let context: BrowserContext | undefined;
  try {
    context = await sellPlanToNewCustomer(page, browser, { planName, limits: PLAN, customer });
    const owner = context.pages()[0] as Page;
    await expect(usageBar(owner, "Sites")).toHaveText("0 / 2");
    await expect(usageBar(owner, "Databases")).toHaveText("0 / 2");
    await expect(usageBar(owner, "Storage")).toHaveText("0 GiB / 8 GiB");
  } finally {
    await context?.close();
  }
});

test("the owner creates a database, a user with access to it and a cron job, and sees them counted", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAsOwner(page);
  const blogId = await createSiteThroughUi(page, slug, blog, { storageGiB: 5 });
  blogUrl = `/accounts/${slug}/sites/${blogId}`;

  // The WordPress site's own database counts; its built-in wp-cron does not.
  await page.goto(`/accounts/${slug}`);
  await expect(usageBar(page, "Sites")).toHaveText("1 / 2");
  await expect(usageBar(page, "Domains")).toHaveText("1 / 3");
  await expect(usageBar(page, "Databases")).toHaveText("1 / 2");
  await expect(usageBar(page, "Cron jobs")).toHaveText("0 / 1");
  await expect(usageBar(page, "Storage")).toHaveText("5 GiB / 8 GiB");
  await expect(usageBar(page, "CPU")).toHaveText("0.12 vCPU / 0.5 vCPU");
  await expect(usageBar(page, "Memory")).toHaveText("448 MiB / 1.5 GiB");

  // A second tab opens the New database dialog while one database is left...
  const stale = await page.context().newPage();
  await stale.goto(`/accounts/${slug}/databases`);
  await stale.getByRole("button", { name: "New database" }).click();
  const staleDialog = stale.getByRole("dialog");
  await staleDialog.getByLabel("Name", { exact: true }).fill("more");

  // ...while this one takes it.
  await page.getByRole("link", { name: "Databases" }).click();
  const usage = page.getByTestId("database-usage");
  await expect(usage).toContainText("1 of 2 databases, 1 of them the own database of a WordPress site.");
  await page.getByRole("button", { name: "New database" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("shop");
  await expect(dialog).toContainText(`On the server: ${database}`);
  await dialog.getByRole("button", { name: "Create database" }).click();
  await expect(
    page.getByTestId("toast").filter({ hasText: `Database ${database} is being created` }),
  ).toBeVisible();
  const row = page.locator(`[data-testid="database-row"][data-name="${database}"]`);
  await expect(row).toBeVisible();
  await expect(usage).toContainText("2 of 2 databases, 1 of them the own database of a WordPress site.");
  await expect(usage).toContainText("Your plan allows no more: delete one or upgrade the plan.");
  await expect(page.getByRole("button", { name: "New database" })).toBeDisabled();

  // The user, its password shown once, and its access to the database.
  await page.getByRole("button", { name: "New user" }).click();
  await dialog.getByLabel("Name", { exact: true }).fill("app");
  await dialog.getByRole("button", { name: "Create database user" }).click();
  await expect(dialog.getByTestId("database-password")).toHaveValue(/.{20,}/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await row.getByRole("button", { name: "Give access" }).click();
  await dialog.getByLabel("User").selectOption({ label: databaseUser });
  await dialog.getByRole("button", { name: "Give access" }).click();
  await expect(row).toContainText(databaseUser);
  // The reconciler creates both on the server and grants the access.
  await expect(row.getByTestId("database-state")).toHaveAttribute("data-phase", "READY", { timeout: 90_000 });
  const userRow = page.locator(`[data-testid="database-user-row"][data-name="${databaseUser}"]`);
  await expect(userRow.getByTestId("database-user-state")).toHaveAttribute("data-phase", "READY", {
    timeout: 90_000,
  });
  await expect(userRow).toContainText(database);
  await screenshot(page, "limits-databases-counted");

  // The stale tab's database would be the third: refused in its dialog, nothing written.
  const before = await accountState();
  await staleDialog.getByRole("button", { name: "Create database" }).click();
  await expect(staleDialog.getByTestId("create-database-form-error")).toHaveText(
    "Your plan allows 2 databases; you have 2, 1 of them the own database of a WordPress site. Upgrade the plan or delete a database.",
  );
  await screenshot(stale, "limits-databases-refused");
  await expectNothingWritten(before);
  expect(before.databases).toBe(1);

  // Cron jobs, the same way: wp-cron is listed, not counted.
  await stale.goto(blogUrl);
  await page.goto(blogUrl);
  const cronUsage = page.getByTestId("cron-usage");
  await expect(cronUsage).toHaveText(`0 of 1 cron job in this account (plan ${planName})`);
  await expect(page.getByTestId("cron-job-built-in")).toContainText("wp-cron");
  await stale.getByRole("button", { name: "New cron job" }).click();
  await staleDialog.getByLabel("Name", { exact: true }).fill("report");
  await staleDialog.getByLabel("Schedule", { exact: true }).fill("30 4 * * *");
  await staleDialog.getByLabel("Command", { exact: true }).fill("php -r 'echo 2;'");

  await page.getByRole("button", { name: "New cron job" }).click();
  await dialog.getByLabel("Name", { exact: true }).fill("nightly");
  await dialog.getByLabel("Schedule", { exact: true }).fill("0 3 * * *");
  await dialog.getByLabel("Command", { exact: true }).fill("php -r 'echo 1;'");
  await dialog.getByRole("button", { name: "Create cron job" }).click();
  await expect(page.locator('[data-testid="cron-job"][data-name="nightly"]')).toBeVisible();
  await expect(cronUsage).toHaveText(`1 of 1 cron job in this account (plan ${planName})`);
  await expect(page.getByRole("button", { name: "New cron job" })).toBeDisabled();
  await expect(page.getByText("Your plan allows 1 cron job and all are in use.")).toContainText(
    "Delete one or ask your provider for a larger plan.",
  );
  await screenshot(page, "limits-cron-jobs-counted");

  const beforeCron = await accountState();
  await staleDialog.getByRole("button", { name: "Create cron job" }).click();
  await expect(staleDialog.getByTestId("cron-job-form-error")).toHaveText(
    "Your plan allows 1 cron job; you have 1. Upgrade the plan or delete a cron job.",
  );
  await screenshot(stale, "limits-cron-jobs-refused");
  await expectNothingWritten(beforeCron);
  await stale.close();

  await page.goto(`/accounts/${slug}`);
  await expect(usageBar(page, "Databases")).toHaveText("2 / 2");
  await expect(usageBar(page, "Cron jobs")).toHaveText("1 / 1");
});

test("the owner hits the sites, databases, storage and domains limits and reads why", async ({ page }) => {
  expect(blogUrl, "the previous test must run first").not.toBe("");
  await signInAsOwner(page);
  const newSite = `/accounts/${slug}/sites/new`;
  const createButton = page.getByRole("button", { name: "Create site" });

  // A WordPress site needs a database of its own, and none is left: refused at the application.
  let before = await accountState();
  await page.goto(newSite);
  await page.getByLabel("Site name").fill(other);
  await page.getByLabel("Primary domain").fill(`${other}.example.test`);
  await createButton.click();
  await expect(page.getByTestId("app-error")).toHaveText(
    "Your plan allows 2 databases; you have 2, and a WordPress site needs one of its own. Upgrade the plan, delete a database or create a Plain PHP site.",
  );
  await expect(page.getByLabel("Application")).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "limits-site-database-refused");
  await expectNothingWritten(before);

  // A plain PHP site needs none, but 4 GiB is more storage than the plan has left.
  await page.getByLabel("Application").selectOption("PHP");
  await page.getByLabel("Storage (GiB)").fill("4");
  await createButton.click();
  await expect(page.getByTestId("storageGiB-error")).toHaveText(
    "Your plan has 3 GiB of storage left; this site needs 4 GiB. Choose 3 GiB or less, upgrade the plan or delete a site to free its storage.",
  );
  await expect(page.getByTestId("app-error")).toHaveCount(0);
  await screenshot(page, "limits-storage-refused");
  await expectNothingWritten(before);

  // Without a size it gets what is left; then the plan's two sites are taken.
  await createSiteThroughUi(page, slug, other, { app: "PHP" });
  before = await accountState();
  expect(before.sites.map((s) => [s.name, s.storageGiB])).toEqual([
    [blog, 5],
    [other, 3],
  ]);
  // "New site" says so before any form is filled: on the sites page and on the form itself.
  const sitesFull = "Your plan allows 2 sites; you have 2. Upgrade the plan or delete a site.";
  await page.goto(`/accounts/${slug}/sites`);
  await expect(page.getByRole("button", { name: "New site" })).toBeDisabled();
  await expect(page.getByTestId("new-site-blocked")).toHaveText(sitesFull);
  await expect(page.getByRole("link", { name: "New site" })).toHaveCount(0);
  await screenshot(page, "limits-sites-full");
  await page.goto(newSite);
  await expect(page.getByTestId("new-site-blocked")).toHaveText(sitesFull);
  await expect(page.getByLabel("Site name")).toBeDisabled();
  await expect(createButton).toBeDisabled();
  await screenshot(page, "limits-sites-refused");
  await expectNothingWritten(before);

  // Domains: 2 of 3 used; a domain with its www counterpart would make 4.
  await page.goto(blogUrl);
  await expect(page.getByTestId("domain-usage")).toHaveText("2 of 3 domains used by this account");
  const alias = `shop.${slug}.example.test`;
  await page.getByRole("textbox", { name: "Add a domain" }).fill(alias);
  await page.getByLabel(/Also add the www counterpart/).check();
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByTestId("add-domain-error")).toHaveText(
    `Your plan allows 3 domains; you have 2, and this adds 2: ${alias} and www.${alias}. Add it without its www counterpart, remove a domain or upgrade the plan.`,
  );
  await screenshot(page, "limits-domains-refused");
  await expectNothingWritten(before);
  // Without it, the last domain fits; then the form says the plan's domains are all in use.
  await page.getByLabel(/Also add the www counterpart/).uncheck();
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByTestId("domain-usage")).toHaveText("3 of 3 domains used by this account");
  await expect(page.getByTestId("domains-full")).toHaveText(
    "Your plan's domains are all in use. Remove a domain or upgrade the plan to add another.",
  );
  await expect(page.getByRole("textbox", { name: "Add a domain" })).toBeDisabled();
  await screenshot(page, "limits-domains-full");
});

test("the owner hits the CPU, memory and storage limits in a site's settings and reads why", async ({
  page,
}) => {
  expect(blogUrl, "the first tests must run first").not.toBe("");
  await signInAsOwner(page);
  await page.goto(blogUrl);
  const form = page.getByRole("form", { name: "Site settings" });
  // The other site takes 120 m, 448 MiB and 3 GiB of the plan's 500 m, 1536 MiB and 8 GiB.
  await expect(form.getByTestId("settings-headroom")).toHaveText(
    "With your plan, this site can have at most 360 CPU millicores and 1024 MiB of memory for PHP (its web server takes another 20 and 64), and 5 GiB of storage.",
  );
  const save = form.getByRole("button", { name: "Save settings" });
  const before = await accountState();

  const refusals = [
    {
      field: "CPU (millicores)",
      id: "settings-resources-cpuMillicores",
      value: "400",
      keep: "100",
      message:
        "Your plan allows 500 CPU millicores and your other sites use 120: this site can have at most 360 (its web server takes the other 20). Choose 360 or less, or upgrade the plan.",
      screenshot: "limits-cpu-refused",
    },
    {
      field: "Memory (MiB)",
      id: "settings-resources-memoryMiB",
      value: "1100",
      keep: "384",
      message:
        "Your plan allows 1536 MiB of memory and your other sites use 448: this site can have at most 1024 (its web server takes the other 64). Choose 1024 or less, or upgrade the plan.",
      screenshot: "limits-memory-refused",
    },
    {
      field: "Storage (GiB)",
      id: "settings-resources-storageGiB",
      value: "6",
      keep: "5",
      message:
        "Your plan allows 8 GiB of storage and your other sites use 3: this site's storage cannot grow beyond its 5 GiB. Upgrade the plan or delete another site to free its storage.",
      screenshot: "limits-storage-growth-refused",
    },
  ];
  for (const refusal of refusals) {
    const input = form.getByLabel(refusal.field, { exact: true });
    await input.fill(refusal.value);
    await save.click();
    await expect(form.getByTestId(`${refusal.id}-error`)).toHaveText(refusal.message);
    await expect(input).toHaveAttribute("aria-invalid", "true");
    // At its field, not repeated above the form.
    await expect(form.getByRole("alert")).toHaveCount(0);
    await form.getByTestId(`${refusal.id}-error`).scrollIntoViewIfNeeded();
    await screenshot(page, refusal.screenshot);
    await expectNothingWritten(before);
    await input.fill(refusal.keep);
  }

  await page.goto(`/accounts/${slug}`);
  for (const [label, value] of [
    ["Sites", "2 / 2"],
    ["Domains", "3 / 3"],
    ["Databases", "2 / 2"],
    ["Cron jobs", "1 / 1"],
    ["Storage", "8 GiB / 8 GiB"],
    ["CPU", "0.24 vCPU / 0.5 vCPU"],
    ["Memory", "896 MiB / 1.5 GiB"],
  ] as const) {
    await expect(usageBar(page, label)).toHaveText(value);
  }
  await screenshot(page, "limits-usage-full");
});

test("the owner deletes the database and its user; the server is left with nothing of them", async ({
  page,
}) => {
  await signInAsOwner(page);
  await page.goto(`/accounts/${slug}/databases`);
  const dialog = page.getByRole("dialog");
  await page
    .locator(`[data-testid="database-row"][data-name="${database}"]`)
    .getByRole("button", { name: "Delete" })
    .click();
  await dialog.getByLabel(`Type ${database} to confirm`).fill(database);
  await dialog.getByRole("button", { name: "Delete database" }).click();
  await page
    .locator(`[data-testid="database-user-row"][data-name="${databaseUser}"]`)
    .getByRole("button", { name: "Delete" })
    .click();
  await dialog.getByRole("button", { name: "Delete user" }).click();
  // The reconciler drops them on the server, then the rows.
  await expect
    .poll(
      async () =>
        (await prisma.database.count({ where: { name: database } })) +
        (await prisma.databaseUser.count({ where: { name: databaseUser } })),
      { timeout: 90_000 },
    )
    .toBe(0);
  await expect(page.getByTestId("database-usage")).toContainText("1 of 2 databases");
});
