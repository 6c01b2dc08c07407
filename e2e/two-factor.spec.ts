import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { totpCode } from "../lib/auth/totp";
import { ADMIN, e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";

const WRONG_CODE_MESSAGE =
  "That code is not valid. Enter the current 6-digit code from your authenticator app, or a recovery code.";

/** A user of its own, owner of a fresh customer account below the platform: nothing seeded changes. */
async function seedUser(): Promise<{ email: string; password: string; slug: string }> {
  const p = e2ePrisma();
  try {
    const slug = uniqueName("twofa");
    const email = `${slug}@example.test`;
    const password = `pw-${randomBytes(6).toString("hex")}`;
    const platform = await p.account.findUniqueOrThrow({ where: { slug: "platform" } });
    const id = `acc${randomBytes(8).toString("hex")}`;
    const account = await p.account.create({
      data: {
        id,
        slug,
        name: `Two-factor ${slug.slice(-6)}`,
        kind: "CUSTOMER",
        parentId: platform.id,
        path: `${platform.path}${id}/`,
      },
    });
    await p.user.create({
      data: {
        email,
        name: "Tess Factor",
        passwordHash: await hashPassword(password),
        memberships: { create: { accountId: account.id, role: "OWNER" } },
      },
    });
    return { email, password, slug };
  } finally {
    await p.$disconnect();
  }
}

/** A well-formed code that is none of the codes valid right now (±1 step). */
function wrongCode(secret: string): string {
  const valid = [-1, 0, 1].map((step) =>
    totpCode({ secretBase32: secret, timestamp: Date.now() + step * 30_000 }),
  );
  return ["000000", "111111", "222222", "333333"].find((code) => !valid.includes(code)) ?? "444444";
}

/**
 * Enrols on /profile/two-factor as a person would: reads the key shown next to the QR code and
 * computes codes from it, as the authenticator app does.
 */
async function enrolThroughUi(
  page: Page,
  options: { tryWrongCode?: boolean } = {},
): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  if (options.tryWrongCode) {
    await screenshot(page, "two-factor-enrol");
    await page.getByLabel("Code from the app").fill(wrongCode(secret));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await expect(page.getByTestId("confirm-code-error")).toContainText("does not match");
  }
  await page.getByLabel("Code from the app").fill(totpCode({ secretBase32: secret, timestamp: Date.now() }));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const codes = page.getByTestId("recovery-code");
  await expect(codes).toHaveCount(10);
  const recoveryCodes = await codes.allTextContents();
  if (options.tryWrongCode) await screenshot(page, "two-factor-recovery-codes");
  await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
  await expect(page.getByTestId("two-factor-status")).toContainText("Recovery codes left: 10 of 10");
  return { secret, recoveryCodes };
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Email and password; the form then asks for the second factor. */
async function startSignIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Authentication code")).toBeVisible();
}

test("a user enrols in two-factor sign-in, then signs in with a code, and once with a recovery code", async ({
  page,
}) => {
  const user = await seedUser();
  await signIn(page, user);

  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Two-factor sign-in" }).click();
  await expect(page).toHaveURL(/\/profile\/two-factor$/);
  const { secret, recoveryCodes } = await enrolThroughUi(page, { tryWrongCode: true });
  await signOut(page);

  // Password alone is no longer enough; a wrong code is refused with what to do instead.
  await startSignIn(page, user);
  await expect(page.getByLabel("Remember this device for 30 days")).not.toBeChecked();
  await page.getByLabel("Authentication code").fill(wrongCode(secret));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: WRONG_CODE_MESSAGE })).toBeVisible();
  await screenshot(page, "two-factor-wrong-code");
  // The enrolment used the current step; the next step's code is new (and within the window).
  await page
    .getByLabel("Authentication code")
    .fill(totpCode({ secretBase32: secret, timestamp: Date.now() + 30_000 }));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${user.slug}/sites$`));
  await signOut(page);

  // A recovery code works once.
  const recovery = recoveryCodes[0] ?? "";
  await startSignIn(page, user);
  await page.getByLabel("Authentication code").fill(recovery);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${user.slug}/sites$`));
  await signOut(page);

  await startSignIn(page, user);
  await page.getByLabel("Authentication code").fill(recovery);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: WRONG_CODE_MESSAGE })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an owner requires two-factor sign-in, the operator resets a user's second factor", async ({ page }) => {
  const user = await seedUser();
  await signIn(page, user);
  await page.goto(`/accounts/${user.slug}`);
  const toggle = page.getByRole("switch", { name: "Require two-factor sign-in" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  // The owner is a member too: from now on every page sends them to set it up first.
  await expect(page).toHaveURL(/\/profile\/two-factor$/);
  await expect(page.getByTestId("two-factor-required")).toContainText("requires two-factor sign-in");
  const api = await page.request.get("/api/v1/accounts");
  expect(api.status()).toBe(403);
  expect(await api.text()).toContain("requires two-factor sign-in");
  await page.goto(`/accounts/${user.slug}/sites`);
  await expect(page).toHaveURL(/\/profile\/two-factor$/);
  await enrolThroughUi(page);
  await page.getByRole("link", { name: "Continue to Sitepod" }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${user.slug}/sites$`));
  await signOut(page);

  // The operator finds the user by email and resets their second factor; the audit log says who.
  await signIn(page, ADMIN);
  await page.goto("/accounts/platform");
  await page.getByLabel("User's email").fill(user.email);
  await page.getByRole("button", { name: "Find user" }).click();
  const found = page.getByTestId("reset-two-factor-user");
  await expect(found).toContainText("two-factor sign-in is on.");
  await page.getByRole("button", { name: "Reset two-factor sign-in" }).click();
  await expect(found).toContainText("two-factor sign-in is off.");
  await screenshot(page, "two-factor-operator-reset");
  await page.goto("/accounts/platform/audit-log");
  await expect(
    page
      .locator('[data-testid="audit-row"]')
      .filter({ hasText: `Reset two-factor sign-in of ${user.email}` }),
  ).toHaveCount(1);
  await signOut(page);

  // Password alone signs the user in again, straight to setting up a new app (still required).
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/profile\/two-factor$/);
  await expect(page.getByRole("button", { name: "Set up two-factor sign-in" })).toBeVisible();
});
