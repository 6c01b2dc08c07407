import { expect, type Page, test } from "@playwright/test";
import { ADMIN, AGENCY, DEMO, RESELLER, screenshot, signIn, uniqueName } from "./support/helpers";

/**
 * The shell on a phone (390x844) and a laptop (1280x800), for each kind of user: every page they
 * reach fits the screen (sideways scrolling only inside a named, keyboard-reachable region), has one
 * `main` landmark, and is called by the same name in the sidebar, its heading and its tab title.
 * Then the menu button, the skip link, the breadcrumbs and the way back from a client, and toasts.
 */

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

type User = { email: string; password: string };

const ROLES: { role: string; user: User; account: string; home: string }[] = [
  { role: "customer", user: DEMO, account: "Demo customer", home: "/accounts/demo/sites" },
  { role: "agency", user: AGENCY, account: "Pixel Agency", home: "/accounts/pixel-agency/customers" },
  { role: "reseller", user: RESELLER, account: "Acme Hosting", home: "/accounts/acme-hosting/customers" },
  { role: "operator", user: ADMIN, account: "Platform", home: "/accounts/platform/customers" },
];

/** A PHP site (no WordPress to install) in `accountSlug`, through its New site form; answers its path. */
async function createPhpSite(page: Page, accountSlug: string, name: string): Promise<string> {
  await page.goto(`/accounts/${accountSlug}/sites/new`);
  await page.getByLabel("Site name").fill(name);
  await page.getByLabel("Primary domain").fill(`${name}.example.test`);
  await page.getByLabel("Application").selectOption("PHP");
  await page.getByRole("button", { name: "Create site" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: `Site ${name} created` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/accounts/${accountSlug}/sites/(?!new$)[a-z0-9]+$`));
  return new URL(page.url()).pathname;
}

/** The sidebar's links (in the DOM at every width; on a phone inside the closed menu's source). */
async function sidebarLinks(page: Page): Promise<{ href: string; label: string }[]> {
  return page.locator('aside nav[aria-label="Main"] a').evaluateAll((links) =>
    links.map((a) => ({
      href: new URL((a as HTMLAnchorElement).href).pathname,
      label: a.textContent ?? "",
    })),
  );
}

/**
 * What must hold on every page at every width: the page itself never scrolls sideways; whatever
 * does scroll sideways is a named region reachable with Tab; one `main` landmark.
 */
async function expectFits(page: Page, where: string): Promise<void> {
  const width = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
  expect(width.scroll, `${where} scrolls sideways by ${width.scroll - width.client}px`).toBeLessThanOrEqual(
    width.client,
  );
  await expect(page.getByRole("main"), `${where}: one main landmark`).toHaveCount(1);
  // ScrollRegion makes itself a Tab stop once it has measured its content (after hydration).
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>("body *")]
            .filter((el) => {
              const overflow = getComputedStyle(el).overflowX;
              return (overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1;
            })
            .filter(
              (el) =>
                el.tabIndex < 0 ||
                !(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) ||
                !(el.getAttribute("role") === "region" || el.tagName === "SECTION"),
            )
            .map((el) => el.outerHTML.slice(0, 120)),
        ),
      { message: `${where}: every sideways-scrolling box is a named region reachable with Tab` },
    )
    .toEqual([]);
}

for (const { role, user, account, home } of ROLES) {
  for (const viewport of [PHONE, LAPTOP]) {
    test(`every page of the ${role} fits ${viewport.width}px, one name per page`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await signIn(page, user);
      await expect(page).toHaveURL(new RegExp(`${home}$`));
      const size = `${viewport.width}`;

      // Each area of the sidebar: the same name in the link, the heading and the tab title.
      const links = await sidebarLinks(page);
      expect(links.length).toBeGreaterThan(3);
      for (const link of links) {
        const response = await page.goto(link.href);
        expect(response?.status(), link.href).toBeLessThan(400);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(link.label);
        await expect(page).toHaveTitle(`${link.label} · ${account} · Sitepod`);
        await expectFits(page, `${role} ${link.href} at ${size}px`);
        await screenshot(
          page,
          `layout-${role}-${size}-${link.href.split("/").slice(3).join("-") || "account"}`,
        );
      }

      if (role === "operator" && viewport === LAPTOP) {
        // What was cut off at this size: the Terminate buttons and the audit log's address column.
        await page.goto("/accounts/platform/customers");
        const terminate = page.getByRole("button", { name: "Terminate" });
        expect(await terminate.count()).toBeGreaterThan(0);
        for (const button of await terminate.all()) {
          // Scrolled to vertically (rows go on below the fold), never sideways: the table must not cut it.
          await button.evaluate((el) =>
            window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - window.innerHeight / 2),
          );
          await expect(button).toBeInViewport({ ratio: 1 });
        }
        await page.goto("/accounts/platform/audit-log");
        await expect(page.getByRole("columnheader", { name: "IP address" })).toBeInViewport({ ratio: 1 });
        await expect(page.getByRole("region", { name: "Audit log" })).not.toHaveAttribute("data-scrolls");
      }
    });
  }
}

test("the customer's other pages fit a phone: a site, the new-site form, the profile, a 404", async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await signIn(page, DEMO);
  const siteName = uniqueName("layout");
  const sitePath = await createPhpSite(page, "demo", siteName);

  for (const [path, title, crumbs] of [
    [sitePath, `${siteName} · Demo customer · Sitepod`, ["Demo customer", "Sites", siteName]],
    [
      "/accounts/demo/sites/new",
      "New site · Demo customer · Sitepod",
      ["Demo customer", "Sites", "New site"],
    ],
  ] as const) {
    await page.goto(path);
    await expect(page).toHaveTitle(title);
    await expect(page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("listitem")).toHaveText([
      ...crumbs,
    ]);
    await expectFits(page, path);
    await screenshot(page, `layout-customer-390-${path === sitePath ? "site" : "new-site"}`);
  }
  // Back up through the breadcrumbs, to the area the sidebar calls Sites.
  await page.goto(sitePath);
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Sites" }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites$/);

  for (const [path, title] of [
    ["/profile", "Profile · Your profile · Sitepod"],
    ["/profile/two-factor", "Two-factor sign-in · Your profile · Sitepod"],
    ["/profile/sessions", "Sessions · Your profile · Sitepod"],
    ["/profile/password", "Password · Your profile · Sitepod"],
    ["/profile/api-reference", "API reference · Your profile · Sitepod"],
  ] as const) {
    await page.goto(path);
    await expect(page).toHaveTitle(title);
    await expectFits(page, path);
  }

  const missing = await page.goto("/accounts/demo/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(page).toHaveTitle("Page not found · Sitepod");
  await expect(page.getByRole("main").getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expectFits(page, "the 404 page");
  await screenshot(page, "layout-customer-390-not-found");
});

test("the sign-in, invitation and mailed-link pages fit a phone and have a main landmark", async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  for (const path of [
    "/sign-in",
    "/invite/not-a-real-token",
    "/forgot-password",
    "/reset-password/not-a-real-token",
    "/verify-email/not-a-real-token",
  ]) {
    await page.goto(path);
    await expectFits(page, path);
  }
});

test("on a phone the navigation hides behind an accessible menu button", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, DEMO);
  const menu = page.getByRole("button", { name: "Navigation menu" });
  const drawer = page.getByRole("dialog", { name: "Navigation menu" });
  // Collapsed: the content starts right below the top bar, no links above it.
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  const heading = await page.getByRole("heading", { level: 1 }).boundingBox();
  expect(heading?.y ?? 1000).toBeLessThan(150);
  await screenshot(page, "layout-menu-closed");

  // Opens with focus inside, on the current page's link.
  await menu.click();
  await expect(drawer).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(drawer.getByRole("link", { name: "Sites", exact: true })).toBeFocused();
  await expect(drawer.getByRole("link", { name: "Sites", exact: true })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await screenshot(page, "layout-menu-open");

  // Escape closes it and gives focus back to the button.
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();

  // The keyboard alone: Enter opens it, Tab moves within it, a link navigates and closes it.
  await page.keyboard.press("Enter");
  await expect(drawer).toBeVisible();
  await page.keyboard.press("Tab");
  await expect
    .poll(() => page.evaluate(() => Boolean(document.activeElement?.closest("dialog#mobile-nav"))))
    .toBe(true);
  await drawer.getByRole("link", { name: "Databases", exact: true }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/databases$/);
  await expect(drawer).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Databases");

  // A wide screen shows the sidebar itself, and no menu button.
  await page.setViewportSize(LAPTOP);
  await expect(menu).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
});

test("the skip link is the first Tab stop and moves focus to the content", async ({ page }) => {
  await page.setViewportSize(LAPTOP);
  await signIn(page, DEMO);
  for (const path of ["/accounts/demo/sites", "/profile/sessions", "/accounts/demo/no-such-page"]) {
    await page.goto(path);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip, path).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main"), path).toBeFocused();
  }
  await page.goto("/accounts/demo/sites");
  await page.keyboard.press("Tab");
  await screenshot(page, "layout-skip-link");
});

test("an agency working in a client sees the way back: breadcrumbs, tab title, sidebar", async ({ page }) => {
  await page.setViewportSize(LAPTOP);
  await signIn(page, AGENCY);
  const siteName = uniqueName("layout");
  const sitePath = await createPhpSite(page, "northwind", siteName);
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });

  await page.goto(sitePath);
  await expect(page).toHaveTitle(`${siteName} · Northwind Traders · Sitepod`);
  await expect(crumbs.getByRole("listitem")).toHaveText([
    "Pixel Agency",
    "Clients",
    "Northwind Traders",
    "Sites",
    siteName,
  ]);
  await expect(crumbs.getByText(siteName)).toHaveAttribute("aria-current", "page");
  await screenshot(page, "layout-agency-client-site");

  // The crumbs lead back up: to the client's sites, then to the agency's clients.
  await crumbs.getByRole("link", { name: "Sites" }).click();
  await expect(page).toHaveURL(/\/accounts\/northwind\/sites$/);
  await expect(page).toHaveTitle("Sites · Northwind Traders · Sitepod");
  await crumbs.getByRole("link", { name: "Clients" }).click();
  await expect(page).toHaveURL(/\/accounts\/pixel-agency\/customers$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Clients");
  // On its own top-level page nothing leads further up.
  await expect(crumbs).toHaveCount(0);

  // The sidebar in a client keeps the client's areas and a link back to the agency.
  await page.goto("/accounts/northwind/members");
  const sidebar = page.getByRole("complementary", { name: "Sidebar" });
  await expect(sidebar.getByRole("navigation", { name: "Main" }).getByRole("link")).toContainText([
    "Account",
    "Sites",
  ]);
  await sidebar.getByRole("link", { name: "Back to Pixel Agency" }).click();
  await expect(page).toHaveURL(/\/accounts\/pixel-agency\/customers$/);
  await expect(page.getByRole("link", { name: "Back to Pixel Agency" })).toHaveCount(0);

  // The client's pages fit a phone too, each under its name.
  await page.setViewportSize(PHONE);
  for (const [name, path, title] of [
    ["account", "/accounts/northwind", "Account · Northwind Traders · Sitepod"],
    ["sites", "/accounts/northwind/sites", "Sites · Northwind Traders · Sitepod"],
    ["site", sitePath, `${siteName} · Northwind Traders · Sitepod`],
    ["new-site", "/accounts/northwind/sites/new", "New site · Northwind Traders · Sitepod"],
    ["databases", "/accounts/northwind/databases", "Databases · Northwind Traders · Sitepod"],
    ["members", "/accounts/northwind/members", "Members · Northwind Traders · Sitepod"],
    ["api-tokens", "/accounts/northwind/api-tokens", "API tokens · Northwind Traders · Sitepod"],
    ["audit-log", "/accounts/northwind/audit-log", "Audit log · Northwind Traders · Sitepod"],
  ] as const) {
    await page.goto(path);
    await expect(page).toHaveTitle(title);
    await expect(crumbs.getByRole("listitem").first()).toHaveText("Pixel Agency");
    await expectFits(page, `${path} on a phone`);
    await screenshot(page, `layout-agency-390-in-client-${name}`);
  }

  // The same way back on a phone, inside the menu.
  await page.goto("/accounts/wayfarer/sites");
  await expect(crumbs.getByRole("listitem")).toHaveText([
    "Pixel Agency",
    "Clients",
    "Wayfarer Coffee",
    "Sites",
  ]);
  await expectFits(page, "a client's sites on a phone");
  await page.getByRole("button", { name: "Navigation menu" }).click();
  await page
    .getByRole("dialog", { name: "Navigation menu" })
    .getByRole("link", { name: "Back to Pixel Agency" })
    .click();
  await expect(page).toHaveURL(/\/accounts\/pixel-agency\/customers$/);
  await expect(page.getByRole("dialog", { name: "Navigation menu" })).toBeHidden();
});

test("toasts: at most three, announced politely, gone on the next page, clear of the content on a phone", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.setViewportSize(LAPTOP);
  await signIn(page, DEMO);
  await page.goto("/accounts/demo/members");
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const region = page.getByRole("region", { name: "Notifications" });
  await expect(region).toHaveAttribute("aria-live", "polite");
  const toasts = region.getByTestId("toast");
  await expect(toasts.filter({ hasText: "Invitation link created" })).toBeVisible();
  const copy = page.getByRole("button", { name: /^Cop(y|ied)$/ });
  for (let i = 0; i < 4; i++) await copy.click();
  await expect(toasts).toHaveCount(3);
  await expect(toasts.first()).toContainText("Link copied");

  // A new page dismisses them.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sites" }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/sites$/);
  await expect(toasts).toHaveCount(0);

  // On a phone only the newest shows, and the page leaves room for it below its last content.
  await page.setViewportSize(PHONE);
  await page.goto("/accounts/demo/members");
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  for (let i = 0; i < 2; i++) await copy.click();
  await expect(toasts).toHaveCount(3);
  await expect(toasts.filter({ visible: true })).toHaveCount(1);
  // The page may still grow (the new invitation joins the list below): scroll to its end and
  // measure again until it holds, well within the toast's five seconds.
  await expect
    .poll(
      async () => {
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const toast = await toasts.filter({ visible: true }).boundingBox();
        const contentBottom = await page
          .getByRole("main")
          .evaluate((main) =>
            Math.max(...[...main.children].map((child) => child.getBoundingClientRect().bottom)),
          );
        return toast !== null && contentBottom <= toast.y;
      },
      { message: "the page's last content ends above the visible toast", timeout: 4_000 },
    )
    .toBe(true);
  await screenshot(page, "layout-toast-phone");
});
