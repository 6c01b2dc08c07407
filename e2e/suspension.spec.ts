import { AppsV1Api } from "@kubernetes/client-node";
import { expect, test } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { e2ePrisma, kubeConfig, RESELLER, screenshot, signIn, uniqueName } from "./support/helpers";
import { createSiteThroughUi } from "./support/hosting";
import { accountNamespace } from "./support/run";

const slug = uniqueName("cafe");
const owner = { email: `${slug}@example.test`, password: "cafe-owner-password" };
const reason = "Invoice 2026-11 unpaid";

// The spec seeds its own customer of Acme Hosting (the seed's reseller) with an owner.
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
        name: `Cafe ${slug.slice(-6)}`,
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
        name: "Cafe owner",
        passwordHash: await hashPassword(owner.password),
        memberships: { create: { accountId: created.id, role: "OWNER" } },
      },
    });
  } finally {
    await prisma.$disconnect();
  }
});

test("a suspended customer's sites show as suspended and their Deployments run no replicas", async ({
  page,
  browser,
}) => {
  await signIn(page, owner);
  const siteName = uniqueName("menu");
  const siteId = await createSiteThroughUi(page, slug, siteName);
  await expect(page.getByTestId("site-status")).toHaveAttribute("data-phase", "RUNNING", { timeout: 90_000 });

  // The reseller suspends the customer, with a reason, from its customers table.
  const reseller = await browser.newContext();
  const resellerPage = await reseller.newPage();
  await signIn(resellerPage, RESELLER);
  const row = resellerPage.locator(`[data-testid="account-row"][data-slug="${slug}"]`);
  await row.getByRole("button", { name: "Suspend" }).click();
  const dialog = resellerPage.getByRole("dialog");
  await dialog.getByRole("button", { name: "Suspend" }).click();
  await expect(dialog.getByTestId("dialog-error")).toHaveText("Enter the reason for the suspension.");
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Suspend" }).click();
  await expect(row.getByTestId("account-status")).toHaveText("Suspended");
  await expect(row).toContainText(reason);
  await screenshot(resellerPage, "reseller-suspended-customer");

  // The customer sees why, and their site as suspended.
  await page.goto(`/accounts/${slug}/sites`);
  await expect(page.getByTestId("suspension-banner")).toContainText(reason);
  const siteRow = page.locator(`[data-testid="site-row"][data-site-name="${siteName}"]`);
  await expect(siteRow.getByTestId("site-status")).toHaveAttribute("data-phase", "SUSPENDED", {
    timeout: 60_000,
  });
  await screenshot(page, "customer-suspended");
  // Nothing new can be made: the button says why instead of opening a form that would be refused.
  await expect(page.getByRole("button", { name: "New site" })).toBeDisabled();
  await expect(page.getByTestId("new-site-blocked")).toContainText("suspended");
  await page.goto(`/accounts/${slug}/sites/new`);
  await expect(page.getByTestId("new-site-blocked")).toContainText("suspended");
  await expect(page.getByRole("button", { name: "Create site" })).toBeDisabled();

  const apps = kubeConfig().makeApiClient(AppsV1Api);
  await expect
    .poll(
      async () => {
        const deployments = await apps.listNamespacedDeployment({
          namespace: accountNamespace(slug),
          labelSelector: `sitepod.io/site=${siteId}`,
        });
        return deployments.items.map((d) => d.spec?.replicas);
      },
      { timeout: 60_000, message: "the site's Deployment scaled to zero" },
    )
    .toEqual([0]);

  // Unsuspended, the customer's site comes back.
  await resellerPage.reload();
  await row.getByRole("button", { name: "Unsuspend" }).click();
  await resellerPage.getByRole("dialog").getByRole("button", { name: "Unsuspend" }).click();
  await expect(row.getByTestId("account-status")).toHaveText("Active");
  await expect
    .poll(
      async () => {
        const deployments = await apps.listNamespacedDeployment({
          namespace: accountNamespace(slug),
          labelSelector: `sitepod.io/site=${siteId}`,
        });
        return deployments.items.map((d) => d.spec?.replicas);
      },
      { timeout: 60_000, message: "the site's Deployment scaled back up" },
    )
    .toEqual([1]);
  await reseller.close();
});
