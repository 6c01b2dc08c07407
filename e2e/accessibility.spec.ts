import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { ADMIN, AGENCY, DEMO, RESELLER, screenshot, signIn, uniqueName } from "./support/helpers";

/**
 * axe-core over every page each kind of user reaches, in the light and the dark theme: any serious
 * or critical violation of WCAG 2.1 A/AA fails the run, with the rule, what it found and where.
 * Moderate and minor findings are attached to the report, not failed on.
 */

type User = { email: string; password: string };
const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

const ROLES: { role: string; user: User; home: string }[] = [
  { role: "customer", user: DEMO, home: "/accounts/demo/sites" },
  { role: "agency", user: AGENCY, home: "/accounts/pixel-agency/customers" },
  { role: "reseller", user: RESELLER, home: "/accounts/acme-hosting/customers" },
  { role: "operator", user: ADMIN, home: "/accounts/platform/customers" },
];

async function sidebarPaths(page: Page): Promise<string[]> {
  return page
    .locator('aside nav[aria-label="Main"] a')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

/** Checks the page as it is now; answers the serious and critical violations, one line each. */
async function audit(page: Page, where: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  await test.info().attach(`axe ${where}`, {
    body: JSON.stringify(
      results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) })),
      null,
      1,
    ),
    contentType: "application/json",
  });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${where}: ${v.id} (${v.impact}) at ${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1] ?? v.help}`,
      ),
    );
}

/**
 * The page's title as the <head> of its HTML has it, before any script runs: what a screen reader
 * announces as the page loads. Empty when the title is missing or only streamed in later.
 */
async function headTitle(page: Page, path: string): Promise<string> {
  const response = await page.request.get(path);
  expect(response.status(), path).toBe(200);
  const head = /<head>([\s\S]*?)<\/head>/.exec(await response.text())?.[1] ?? "";
  return /<title>([^<]*)<\/title>/.exec(head)?.[1]?.trim() ?? "";
}

async function expectTheme(page: Page, theme: Theme): Promise<void> {
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
}

/**
 * Every path in both themes; the theme follows the system preference, emulated here. Each page is
 * loaded once: every other one in the dark theme (the head script's choice, before the first paint),
 * then switched to the other theme in place, as the panel follows a system change live.
 */
async function auditAll(page: Page, paths: readonly string[], label: string): Promise<void> {
  const found: string[] = [];
  for (const [i, path] of paths.entries()) {
    const order: readonly [Theme, Theme] = i % 2 === 0 ? THEMES : ["dark", "light"];
    await page.emulateMedia({ colorScheme: order[0] });
    await page.goto(path);
    await expect(page.getByRole("main")).toHaveCount(1);
    for (const [j, theme] of order.entries()) {
      if (j > 0) await page.emulateMedia({ colorScheme: theme });
      await expectTheme(page, theme);
      found.push(...(await audit(page, `${label} ${theme} ${path}`)));
      // The dark theme's look, for a person to review (the light one is in the layout spec's).
      if (theme === "dark")
        await screenshot(page, `dark-${label}-${path.split("/").filter(Boolean).join("-")}`);
    }
  }
  expect(found, `serious or critical accessibility violations:\n${found.join("\n")}`).toEqual([]);
}

/** The signed-in user's own pages: the same for every kind of user, so checked as the customer. */
const PROFILE_PATHS = [
  "/profile/password",
  "/profile/sessions",
  "/profile/two-factor",
  "/profile/api-reference",
];

for (const { role, user, home } of ROLES) {
  test(`no serious accessibility violation on any page of the ${role}, in either theme`, async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page, user);
    await expect(page).toHaveURL(new RegExp(`${home}$`));
    const paths = [
      ...new Set([...(await sidebarPaths(page)), ...(role === "customer" ? PROFILE_PATHS : [])]),
    ];
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths)
      expect(await headTitle(page, path), `title in the head of ${path}`).toMatch(/\S/);
    await auditAll(page, paths, role);
  });
}

test("no serious accessibility violation on a site, the new-site form and the 404, in either theme", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, DEMO);
  const name = uniqueName("axe");
  await page.goto("/accounts/demo/sites/new");
  await page.getByLabel("Site name").fill(name);
  await page.getByLabel("Primary domain").fill(`${name}.example.test`);
  await page.getByLabel("Application").selectOption("PHP");
  await page.getByRole("button", { name: "Create site" }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites\/(?!new$)[a-z0-9]+$/);
  const sitePath = new URL(page.url()).pathname;
  await auditAll(page, [sitePath, "/accounts/demo/sites/new", "/accounts/demo/no-such-page"], "customer");
  // Tidy up: the site is not needed by any other test.
  await page.goto(sitePath);
  await page.getByRole("button", { name: "Delete site" }).click();
  await page.getByRole("dialog").getByRole("textbox").fill(name);
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /Delete/ })
    .click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("no serious accessibility violation on the sign-in and invitation pages, in either theme", async ({
  page,
}) => {
  await auditAll(page, ["/sign-in", "/invite/not-a-real-token"], "anonymous");
});
