import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createSecretBox, parseSecretKey } from "../lib/crypto/secret-box";
import { DEMO, e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";
import { readRunState } from "./support/run";

/**
 * The README's first command, as a newcomer meets it. This whole suite runs against Sitepod started by
 * `npm run up`'s own script (see e2e/global-setup.ts): production build, keys generated on first run,
 * the seeded users. This spec walks the main job through it: the seeded customer signs in, creates a
 * site and sees it reach Running. (Creating a site seals its credentials with the key `npm run up`
 * provides: the step that answered HTTP 500 when no key was set.)
 */
test("npm run up: the seeded customer signs in, creates a site and sees it reach Running", async ({
  page,
}) => {
  const { stateDir } = readRunState();
  const keyFile = path.join(stateDir, "secret-key");
  // `npm run up` generated its keys into its state folder, private to its user; nothing set them for it.
  for (const file of [keyFile, path.join(stateDir, "auth-secret")]) {
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }

  await signIn(page, DEMO);
  await page.getByRole("link", { name: "New site" }).first().click();
  const siteName = uniqueName("first");
  await page.getByLabel("Site name").fill(siteName);
  await page.getByLabel("Primary domain").fill(`${siteName}.example.test`);
  await page.getByLabel("Application").selectOption("PHP");
  await page.getByRole("button", { name: "Create site" }).click();

  await expect(page.getByTestId("toast").filter({ hasText: `Site ${siteName} created` })).toBeVisible();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites\/(?!new$)[a-z0-9]+$/);
  await expect(page.getByTestId("site-status")).toHaveAttribute("data-phase", "RUNNING", { timeout: 90_000 });
  await screenshot(page, "front-door-site-running");

  // The site's secrets are stored sealed with that generated key, and only sealed.
  const prisma = e2ePrisma();
  try {
    const site = await prisma.site.findFirstOrThrow({ where: { name: siteName } });
    const box = createSecretBox(parseSecretKey(readFileSync(keyFile, "utf8"), keyFile));
    const secrets = JSON.parse(box.open(site.secretsCiphertext)) as { database: { password: string } };
    expect(secrets.database.password.length).toBeGreaterThan(20);
    expect(site.secretsCiphertext).not.toContain(secrets.database.password);
  } finally {
    await prisma.$disconnect();
  }
});
