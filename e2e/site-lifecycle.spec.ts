import { AppsV1Api } from "@kubernetes/client-node";
import { expect, test } from "@playwright/test";
import {
  coreApi,
  expectSameDocument,
  kubeConfig,
  markDocument,
  screenshot,
  signIn,
  uniqueName,
} from "./support/helpers";
import { accountNamespace } from "./support/run";

const NAMESPACE = accountNamespace("demo");

// One site goes through its whole life: the second test deletes what the first created.
test.describe.configure({ mode: "serial" });

const siteName = uniqueName("blog");
const domain = `${siteName}.example.test`;
let siteId = "";

async function sitePods(id: string) {
  const pods = await coreApi().listNamespacedPod({
    namespace: NAMESPACE,
    labelSelector: `sitepod.io/site=${id}`,
  });
  return pods.items;
}

test("create a WordPress site: Provisioning, then Running without a reload, on the real node", async ({
  page,
}) => {
  await signIn(page);
  await expect(page.locator("[data-live-status]")).toHaveAttribute("data-live-status", "connected");
  await markDocument(page);
  await page.getByRole("link", { name: "New site" }).first().click();
  await expect(page.getByRole("heading", { name: "New site" })).toBeVisible();

  await page.getByLabel("Site name").fill(siteName);
  await page.getByLabel("Primary domain").fill(domain);
  await page.getByLabel("Application").selectOption("WORDPRESS");
  // The runtime catalog `npm run up` registers: 8.4 (the default, the newest) and 8.2.
  await page.getByLabel("PHP version").selectOption("8.2");
  await page.getByRole("button", { name: "Create site" }).click();

  await expect(page.getByTestId("toast").filter({ hasText: `Site ${siteName} created` })).toBeVisible();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites\/(?!new$)[a-z0-9]+$/);
  siteId = page.url().split("/").at(-1) ?? "";
  expect(siteId).not.toBe("");

  const badge = page.getByTestId("site-status");
  // One locator for the phase, its words and the spinner: checked one after the other, the site
  // could turn Running between two checks (seen in CI).
  await expect(
    page.locator('[data-testid="site-status"][data-phase="PROVISIONING"]', {
      hasText: "Provisioning",
      has: page.getByTestId("spinner"),
    }),
  ).toBeVisible();

  await expect(badge).toHaveAttribute("data-phase", "RUNNING", { timeout: 90_000 });
  await expect(badge).toHaveText("Running");
  await expectSameDocument(page);

  // The status in plain words, and where visitors reach the site before DNS points here.
  const summary = page.getByTestId("site-summary");
  await expect(summary).toHaveAttribute("data-phase", "RUNNING");
  await expect(summary.getByRole("heading", { level: 2 })).toHaveText("Your site is live");
  await expect(summary).toContainText(`Visitors reach it at ${siteName}-demo.localhost now`);
  await expect(summary).toContainText("WordPress");

  // The record to create for its domain (the local install's gateway address, 127.0.0.1 by
  // default), and the check: nothing under .example.test resolves.
  const dns = page.locator(`[data-testid="dns-domain"][data-hostname="${domain}"]`);
  await expect(dns.locator('[data-testid="dns-record"][data-type="A"]')).toHaveAttribute(
    "data-value",
    "127.0.0.1",
  );
  await expect(dns.getByTestId("dns-check")).toHaveText("No DNS record found", { timeout: 15_000 });
  await expect(page.getByTestId("dns-status")).toContainText(`${domain}: No DNS record found`);
  await page.getByRole("button", { name: "Check again" }).click();
  await expect(page.getByTestId("dns-status")).toContainText(`${domain}: No DNS record found`);

  // Every section one link away; the Kubernetes detail folded away at the bottom, closed.
  const sections = page.getByRole("navigation", { name: "Site sections" });
  await expect(sections.getByRole("link")).toHaveText([
    "Overview",
    "Domains",
    "DNS",
    "PHP & resources",
    "Cron jobs",
    "Databases",
    "Activity",
    "Technical details",
  ]);
  const technical = page.getByTestId("technical-details");
  await expect(technical).not.toHaveAttribute("open");
  // Read while closed (textContent), as the settings spec does.
  await expect(page.locator('[data-condition="Ready"]')).toContainText("True");
  await expect(page.getByTestId("observed-generation")).toHaveText(
    (await page.getByTestId("generation").textContent()) ?? "",
  );
  await sections.getByRole("link", { name: "Technical details" }).click();
  await expect(page).toHaveURL(/#technical$/);
  await technical.getByText("Technical details (for experts)").click();
  await expect(technical).toHaveAttribute("open", "");
  await expect(page.getByRole("region", { name: "Status conditions" })).toBeVisible();
  await expect(sections.getByRole("link", { name: "Technical details" })).toHaveAttribute(
    "aria-current",
    "location",
  );
  await expect(page.getByText(domain).first()).toBeVisible();
  // The platform hostname, opened in a tab of its own.
  await expect(page.getByTestId("platform-hostname")).toHaveText(`${siteName}-demo.localhost`);
  // With the local gateway's port (`npm run up` serves sites on localhost:8080).
  await expect(page.getByTestId("open-site")).toHaveAttribute(
    "href",
    new RegExp(`^http://${siteName}-demo\\.localhost(:\\d+)?/$`),
  );
  await expect(page.getByTestId("open-site")).toContainText("Visit site");
  await expect(page.getByTestId("open-site")).toHaveAttribute("target", "_blank");
  await expect(page.getByTestId("open-site")).toHaveAttribute("rel", /noopener/);
  await screenshot(page, "site-detail");

  // The site's pod runs in the cluster, scheduled onto a simulated (kwok) node. Polled: the cluster's
  // pod list and the reconciler's view of the Deployment are not updated in the same instant.
  await expect
    .poll(
      async () => {
        const pods = await sitePods(siteId);
        return pods.map((pod) => `${pod.status?.phase}@${pod.spec?.nodeName ?? "unscheduled"}`);
      },
      { timeout: 30_000, message: "a Running pod for the site" },
    )
    .toContainEqual(expect.stringMatching(/^Running@/));
  const running = (await sitePods(siteId)).find((pod) => pod.status?.phase === "Running");
  const node = await coreApi().readNode({ name: running?.spec?.nodeName ?? "" });
  // The local cluster's real node: kwok's simulated nodes are tainted and run nothing of Sitepod's.
  expect(node.metadata?.labels?.["sitepod.io/node"]).toBe("real");

  // The dashboard shows the same state; light and dark.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Sites" }).click();
  const row = page.locator(`[data-testid="site-row"][data-site-name="${siteName}"]`);
  await expect(row).toContainText(domain);
  await expect(row).toContainText("8.2");
  await expect(row).toContainText("WordPress");
  await expect(row.getByTestId("site-status")).toHaveText("Running");
  await expectSameDocument(page);
  await page.getByRole("button", { name: "Light theme" }).click();
  await screenshot(page, "dashboard-light");
  await page.getByRole("button", { name: "Dark theme" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await screenshot(page, "dashboard-dark");
});

test("delete the site after typing its name: gone from the UI and from the cluster", async ({ page }) => {
  expect(siteId, "the create test must run first").not.toBe("");
  await signIn(page);
  await markDocument(page);
  await page.getByRole("link", { name: siteName }).click();
  await page.getByRole("button", { name: "Delete site" }).click();

  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Delete ${siteName}?`);
  const confirm = dialog.getByRole("button", { name: "Delete site" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${siteName} to confirm`).fill(`${siteName}-typo`);
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${siteName} to confirm`).fill(siteName);
  await screenshot(page, "delete-confirmation");
  await confirm.click();

  await expect(page).toHaveURL(/\/accounts\/demo\/sites$/);
  await expect(page.getByTestId("toast").filter({ hasText: `Deleting ${siteName}` })).toBeVisible();
  const row = page.locator(`[data-testid="site-row"][data-site-name="${siteName}"]`);
  await expect(row).toHaveCount(0, { timeout: 90_000 });
  await expectSameDocument(page);

  const apps = kubeConfig().makeApiClient(AppsV1Api);
  const selector = `sitepod.io/site=${siteId}`;
  await expect
    .poll(
      async () => {
        const [pods, deployments, services, secrets] = await Promise.all([
          coreApi().listNamespacedPod({ namespace: NAMESPACE, labelSelector: selector }),
          apps.listNamespacedDeployment({ namespace: NAMESPACE, labelSelector: selector }),
          coreApi().listNamespacedService({ namespace: NAMESPACE, labelSelector: selector }),
          coreApi().listNamespacedSecret({ namespace: NAMESPACE, labelSelector: selector }),
        ]);
        return pods.items.length + deployments.items.length + services.items.length + secrets.items.length;
      },
      { timeout: 90_000, message: "the site's Kubernetes objects are removed" },
    )
    .toBe(0);
});
