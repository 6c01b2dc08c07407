import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { expect, type Page, test } from "@playwright/test";
import { e2ePrisma, kubeConfig, screenshot, signIn, uniqueName } from "./support/helpers";
import { accountNamespace } from "./support/run";

/**
 * An owner changes a running site's settings and watches them reach the cluster: a bad value is
 * refused next to its field with nothing saved, a PHP version switch and a php.ini setting roll
 * the site's pod onto the other runtime image, and a second tab that saves what it opened before
 * is told the site changed since.
 */

const prisma = e2ePrisma();
test.afterAll(async () => {
  await prisma.$disconnect();
});
// A real pod, rolled once.
test.setTimeout(300_000);

async function openSettings(page: Page, siteUrl: string) {
  await page.goto(siteUrl);
  const form = page.getByRole("form", { name: "Site settings" });
  await expect(form).toBeVisible();
  return form;
}

test("an owner switches PHP version and php.ini settings, refused bad values and a stale tab included", async ({
  page,
  browser,
}) => {
  await signIn(page);
  const name = uniqueName("settings");
  await page.goto("/accounts/demo/sites/new");
  await page.getByLabel("Site name").fill(name);
  await page.getByLabel("Primary domain").fill(`${name}.example.test`);
  await page.getByLabel("Application").selectOption("PHP");
  await page.getByLabel("PHP version").selectOption("8.4");
  await page.getByRole("button", { name: "Create site" }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites\/(?!new$)[a-z0-9]+$/);
  const siteUrl = page.url();
  const siteId = siteUrl.split("/").pop() ?? "";
  await expect(page.getByTestId("site-status")).toHaveAttribute("data-phase", "RUNNING", {
    timeout: 180_000,
  });

  // A second tab opens the settings now, and saves later.
  const other = await browser.newPage();
  await signIn(other);
  const staleForm = await openSettings(other, siteUrl);

  const form = await openSettings(page, siteUrl);
  const before = await prisma.site.findUniqueOrThrow({ where: { id: siteId } });

  // A value that is no size: refused at the field, nothing saved.
  await form.getByLabel("Memory limit per request").fill("lots");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByLabel("Memory limit per request")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByTestId("settings-php-memoryLimit-error")).toBeVisible();
  // The Save button is at the bottom of a long form: the refusal takes the person to the field.
  await expect(form.getByLabel("Memory limit per request")).toBeFocused();
  await expect(form.getByTestId("settings-php-memoryLimit-error")).toBeInViewport();
  await screenshot(page, "site-settings-invalid");
  expect((await prisma.site.findUniqueOrThrow({ where: { id: siteId } })).generation).toBe(before.generation);

  // PHP 8.2 and a longer execution time: saved, applied, and the pod runs the 8.2 image.
  await form.getByLabel("Memory limit per request").fill("256M");
  await form.getByLabel("PHP version").selectOption("8.2");
  await form.getByLabel("Maximum execution time (seconds)").fill("90");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  await expect(page.getByTestId("generation")).toHaveText(String(before.generation + 1));
  await expect(page.getByTestId("observed-generation")).toHaveText(String(before.generation + 1), {
    timeout: 120_000,
  });
  await expect(page.getByTestId("site-status")).toHaveAttribute("data-phase", "RUNNING", {
    timeout: 180_000,
  });
  await screenshot(page, "site-settings-applied");

  const kc = kubeConfig();
  const namespace = accountNamespace("demo");
  const deployment = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace });
  const images = deployment.spec?.template.spec?.containers.map((c) => c.image) ?? [];
  expect(images.every((image) => image?.endsWith(":php8.2"))).toBe(true);
  const config = await kc
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name: `${name}-config`, namespace });
  expect(config.data?.["php.ini"]).toMatch(/max_execution_time\s*=\s*90/);
  // The rolled pod is ready on the new image.
  await expect
    .poll(
      async () => {
        const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({
          namespace,
          labelSelector: `sitepod.io/site=${siteId},app.kubernetes.io/component=web`,
        });
        return pods.items
          .filter((p) => !p.metadata?.deletionTimestamp)
          .map(
            (p) => `${p.spec?.containers[0]?.image} ${p.status?.containerStatuses?.every((c) => c.ready)}`,
          );
      },
      { timeout: 120_000 },
    )
    .toEqual([expect.stringMatching(/:php8\.2 true$/)]);

  // The other tab still holds the first generation: its save is refused and changes nothing.
  await staleForm.getByLabel("Maximum input variables").fill("3000");
  await staleForm.getByRole("button", { name: "Save settings" }).click();
  await expect(
    other
      .getByRole("alert")
      .filter({ hasText: /changed since you opened/ })
      .first(),
  ).toBeVisible();
  await screenshot(other, "site-settings-stale-tab");
  const after = await prisma.site.findUniqueOrThrow({ where: { id: siteId } });
  expect(after.generation).toBe(before.generation + 1);
  expect(after.phpVersion).toBe("8.2");
  await other.close();

  // Clean up: the site and its pod.
  await page.getByRole("button", { name: "Delete site" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await dialog.getByRole("button", { name: "Delete site" }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites$/);
});
