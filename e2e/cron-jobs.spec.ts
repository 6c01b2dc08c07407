import { expect, test } from "@playwright/test";
import { e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";

const prisma = e2ePrisma();
test.afterAll(async () => {
  await prisma.$disconnect();
});

test("a site's cron jobs: wp-cron built in, a bad schedule answered at the field, create, pause, delete", async ({
  page,
}) => {
  await signIn(page);
  const site = uniqueName("cron");
  await page.goto("/accounts/demo/sites/new");
  await page.getByLabel("Site name").fill(site);
  await page.getByLabel("Primary domain").fill(`${site}.example.test`);
  await page.getByRole("button", { name: "Create site" }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites\/(?!new$)[a-z0-9]+$/);

  // WordPress's own job is listed, as Sitepod's, and counts against nothing.
  const builtIn = page.getByTestId("cron-job-built-in");
  await expect(builtIn).toContainText("wp-cron");
  await expect(builtIn).toContainText("Managed by Sitepod");
  // The demo account has no plan: no limit (other tests' jobs may count in it).
  const usage = page.getByTestId("cron-usage");
  await expect(usage).toContainText("(no limit) in this account");
  const usedBefore = Number((await usage.textContent())?.match(/^\d+/)?.[0]);

  await page.getByRole("button", { name: "New cron job" }).click();
  const dialog = page.getByRole("dialog");
  const name = uniqueName("nightly");
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Schedule", { exact: true }).fill("61 * * * *");
  await expect(page.getByTestId("cron-new-schedule-error")).toHaveText(
    '"61 * * * *" is not a cron schedule: the minute field "61": 61 is outside 0–59.',
  );
  await dialog.getByLabel("Schedule", { exact: true }).fill("0 3 * * 1-5");
  await expect(page.getByTestId("cron-new-schedule-error")).toHaveCount(0);
  await expect(dialog.getByTestId("schedule-text")).toHaveText("At 03:00, Monday through Friday (UTC)");
  await expect(dialog.getByTestId("next-run")).toHaveCount(3);
  await dialog.getByLabel("Command", { exact: true }).fill("php -r 'echo 1;'");
  await screenshot(page, "cron-job-new");
  await dialog.getByRole("button", { name: "Create cron job" }).click();

  const item = page.locator(`[data-testid="cron-job"][data-name="${name}"]`);
  await expect(item).toContainText("At 03:00, Monday through Friday (UTC)");
  await expect(usage).toContainText(new RegExp(`^${usedBefore + 1} cron jobs? \\(no limit\\)`));
  const row = await prisma.cronJob.findFirstOrThrow({ where: { name, site: { name: site } } });
  expect(row).toMatchObject({ schedule: "0 3 * * 1-5", command: "php -r 'echo 1;'", enabled: true });

  await item.getByRole("button", { name: "Pause" }).click();
  await expect(item.getByRole("button", { name: "Resume" })).toBeVisible();
  await expect(item).toContainText("None while paused.");
  expect((await prisma.cronJob.findUniqueOrThrow({ where: { id: row.id } })).enabled).toBe(false);

  await item.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete cron job" }).click();
  // Deleting is asynchronous: the row is marked at once, the reconciler removes it.
  await expect
    .poll(async () => {
      const current = await prisma.cronJob.findUnique({ where: { id: row.id } });
      return current === null || current.deletionRequestedAt !== null;
    })
    .toBe(true);
  await screenshot(page, "cron-job-deleting");
});
