import { AppsV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { expect, type Page, test } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { coreApi, e2ePrisma, kubeConfig, RESELLER, screenshot, signIn, uniqueName } from "./support/helpers";
import { accountNamespace } from "./support/run";

/**
 * A WordPress site, for real: its pods run on the local cluster's real node, the install Job puts
 * WordPress into its volume and its database, and the Gateway serves it at its platform hostname
 * (`<site>-<account>.localhost:<gateway port>`, which Chromium resolves to loopback). The customer
 * sees the front page with the title they chose and signs in to wp-admin with the password the panel
 * showed once; suspending the account makes the same address answer the suspended page (503);
 * unsuspending brings the content back; deleting the site removes its pods, volume, database and user,
 * and the address stops answering.
 */

const slug = uniqueName("bakery");
const owner = { email: `${slug}@example.test`, password: "bakery-owner-password" };
const title = "Crumbs & Co. Bakery";
const siteName = uniqueName("shop");

test.describe.configure({ mode: "serial" });
// Real pods: an install, a suspension and a return each take their time on one node.
test.setTimeout(420_000);

// A new customer of Acme Hosting (the seed's reseller), on its Starter plan.
test.beforeAll(async () => {
  const prisma = e2ePrisma();
  try {
    const reseller = await prisma.account.findUniqueOrThrow({ where: { slug: "acme-hosting" } });
    const plan = await prisma.plan.findFirstOrThrow({
      where: { ownerAccountId: reseller.id, name: "Starter" },
    });
    const created = await prisma.account.create({
      data: {
        slug,
        name: `Bakery ${slug.slice(-6)}`,
        kind: "CUSTOMER",
        parentId: reseller.id,
        path: "/",
        planId: plan.id,
      },
    });
    await prisma.account.update({
      where: { id: created.id },
      data: { path: `${reseller.path}${created.id}/` },
    });
    await prisma.user.create({
      data: {
        email: owner.email,
        name: "Bakery owner",
        passwordHash: await hashPassword(owner.password),
        memberships: { create: { accountId: created.id, role: "OWNER" } },
      },
    });
  } finally {
    await prisma.$disconnect();
  }
});

let siteUrl = "";

/**
 * Opens `url` and says what answered. Chromium turns an error status with an empty body (the
 * gateway while a backend has no ready pod) into a navigation error: that is "not yet", not a failure.
 */
async function visit(page: Page, url: string): Promise<{ status: number; text: string }> {
  try {
    const response = await page.goto(url);
    const text = await page
      .locator("body")
      .textContent()
      .then((t) => t ?? "")
      .catch(() => "");
    return { status: response?.status() ?? 0, text };
  } catch {
    return { status: -1, text: "" };
  }
}
let siteId = "";

test("a new customer creates a WordPress site, opens it at its platform hostname and signs in to wp-admin", async ({
  page,
  context,
}) => {
  await signIn(page, owner);
  await page.goto(`/accounts/${slug}/sites/new`);
  await page.getByLabel("Site name").fill(siteName);
  await page.getByLabel("Primary domain").fill(`${siteName}.example.test`);
  await page.getByLabel("Site title").fill(title);
  await page.getByLabel("Application").selectOption("WORDPRESS");
  await page.getByLabel("WordPress admin user name").fill("baker");
  await page.getByRole("button", { name: "Create site" }).click();

  // The password, shown once.
  const credentials = page.getByTestId("wordpress-admin-credentials");
  await expect(credentials).toBeVisible();
  await expect(page.getByTestId("wordpress-admin-username")).toHaveValue("baker");
  const password = await page.getByTestId("wordpress-admin-password").inputValue();
  expect(password.length).toBeGreaterThanOrEqual(20);
  await screenshot(page, "wordpress-created-credentials");
  siteId = /\/sites\/([a-z0-9]+)$/.exec(new URL(page.url()).pathname)?.[1] ?? "";
  expect(siteId).not.toBe("");

  // Install Job, then the pod's readiness through nginx and PHP: Running, without a reload.
  await expect(page.getByTestId("site-status")).toHaveAttribute("data-phase", "RUNNING", {
    timeout: 240_000,
  });
  await screenshot(page, "wordpress-running");

  const open = page.getByTestId("open-site");
  siteUrl = (await open.getAttribute("href")) ?? "";
  expect(siteUrl).toMatch(new RegExp(`^http://${siteName}-${slug}\\.localhost(:\\d+)?/?$`));
  const [front] = await Promise.all([context.waitForEvent("page"), open.click()]);
  await front.waitForLoadState();
  await expect(front).toHaveTitle(new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  await expect(front.getByText(title).first()).toBeVisible();
  await screenshot(front, "wordpress-front-page");

  await front.goto(new URL("/wp-login.php", siteUrl).toString());
  await front.getByLabel("Username or Email Address").fill("baker");
  await front.getByLabel("Password", { exact: true }).fill(password);
  await front.getByRole("button", { name: "Log In" }).click();
  await expect(front.getByRole("heading", { name: "Dashboard" })).toBeVisible({ timeout: 30_000 });
  await screenshot(front, "wordpress-admin-dashboard");

  // The panel never shows the password again.
  await page.reload();
  await expect(page.getByTestId("wordpress-admin-credentials")).toHaveCount(0);
});

test("a change made behind Sitepod's back is put back and shows in the site's activity, live", async ({
  page,
}) => {
  expect(siteId, "the create test must run first").not.toBe("");
  await signIn(page, owner);
  await page.goto(`/accounts/${slug}/sites/${siteId}`);
  await expect(page.getByTestId("site-status")).toHaveAttribute("data-phase", "RUNNING");
  const activity = page.getByRole("list", { name: "Site activity" });
  await expect(activity.getByTestId("timeline-entry").first()).toBeVisible();

  // Someone scales the site's Deployment with kubectl.
  const apps = kubeConfig().makeApiClient(AppsV1Api);
  const namespace = accountNamespace(slug);
  await apps.patchNamespacedDeploymentScale(
    { name: siteName, namespace, body: { spec: { replicas: 2 } } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );

  // The reconciler puts it back and says so on the open page, without a reload.
  const corrected = activity.locator('[data-testid="timeline-entry"][data-reason="DriftCorrected"]');
  await expect(corrected.first()).toContainText("spec.replicas: 1 wanted, 2 found", { timeout: 60_000 });
  await expect(corrected.first()).toContainText(`Deployment/${siteName}`);
  await expect
    .poll(async () => (await apps.readNamespacedDeployment({ name: siteName, namespace })).spec?.replicas, {
      timeout: 30_000,
    })
    .toBe(1);
  await corrected.first().scrollIntoViewIfNeeded();
  await screenshot(page, "site-activity-drift-corrected");
});

test("suspending the account serves the suspended page (503) at the site's address; unsuspending brings it back", async ({
  page,
  browser,
}) => {
  expect(siteUrl, "the create test must run first").not.toBe("");
  const reseller = await browser.newContext();
  const resellerPage = await reseller.newPage();
  await signIn(resellerPage, RESELLER);
  const row = resellerPage.locator(`[data-testid="account-row"][data-slug="${slug}"]`);
  await row.getByRole("button", { name: "Suspend" }).click();
  const dialog = resellerPage.getByRole("dialog");
  await dialog.getByLabel("Reason").fill("Invoice unpaid");
  await dialog.getByRole("button", { name: "Suspend" }).click();
  await expect(row.getByTestId("account-status")).toHaveText("Suspended");

  await expect
    .poll(
      async () => {
        const { status, text } = await visit(page, siteUrl);
        // The visitor's page says only that the site is unavailable, not why.
        return status === 503 && /temporarily unavailable/i.test(text);
      },
      { timeout: 120_000, intervals: [1_000] },
    )
    .toBe(true);
  await screenshot(page, "wordpress-suspended-page");

  await row.getByRole("button", { name: "Unsuspend" }).click();
  await resellerPage.getByRole("dialog").getByRole("button", { name: "Unsuspend" }).click();
  await expect(row.getByTestId("account-status")).toHaveText("Active");
  await expect
    .poll(
      async () => {
        const { status, text } = await visit(page, siteUrl);
        return status === 200 && text.includes(title);
      },
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe(true);
  await reseller.close();
});

test("deleting the site removes its pods, volume, database and user, and its address stops answering", async ({
  page,
}) => {
  expect(siteId, "the create test must run first").not.toBe("");
  const prisma = e2ePrisma();
  let database = "";
  let dbUser = "";
  try {
    // The site's database and its user share one name: sp_<site name>_<random> (site-secrets.ts).
    const rows = await prisma.$queryRawUnsafe<{ SCHEMA_NAME: string }[]>(
      "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
      `sp_${siteName.replaceAll("-", "_").slice(0, 20)}_%`,
    );
    expect(rows).toHaveLength(1);
    database = rows[0]?.SCHEMA_NAME ?? "";
    dbUser = database;
    expect(
      await prisma.$queryRawUnsafe<unknown[]>("SELECT User FROM mysql.user WHERE User = ?", dbUser),
    ).toHaveLength(1);

    await signIn(page, owner);
    await page.goto(`/accounts/${slug}/sites/${siteId}`);
    await page.getByRole("button", { name: "Delete site" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(`Type ${siteName} to confirm`).fill(siteName);
    await dialog.getByRole("button", { name: "Delete site" }).click();
    await expect(page.locator(`[data-testid="site-row"][data-site-name="${siteName}"]`)).toHaveCount(0, {
      timeout: 120_000,
    });

    const namespace = accountNamespace(slug);
    const selector = `sitepod.io/site=${siteId}`;
    await expect
      .poll(
        async () => {
          const [pods, claims] = await Promise.all([
            coreApi().listNamespacedPod({ namespace, labelSelector: selector }),
            coreApi().listNamespacedPersistentVolumeClaim({ namespace, labelSelector: selector }),
          ]);
          return pods.items.length + claims.items.length;
        },
        { timeout: 120_000 },
      )
      .toBe(0);
    // The reconciler drops the database and its user once the site's pods are gone: wait for it.
    await expect
      .poll(
        async () => {
          const [databases, users] = await Promise.all([
            prisma.$queryRawUnsafe<unknown[]>(
              "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
              database,
            ),
            prisma.$queryRawUnsafe<unknown[]>("SELECT User FROM mysql.user WHERE User = ?", dbUser),
          ]);
          return databases.length + users.length;
        },
        { timeout: 60_000 },
      )
      .toBe(0);

    await expect
      .poll(async () => (await visit(page, siteUrl)).status, { timeout: 60_000, intervals: [1_000] })
      .toBe(404);
  } finally {
    await prisma.$disconnect();
  }
});
