import { type Browser, expect, type Page, test } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { linkIn } from "../tests/helpers/mailpit";
import { DEMO, e2eMailbox, e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";

/**
 * Mail as a person meets it: Sitepod (started by `npm run up`'s own script) sends through the
 * Mailpit that script started; the tests read the mailbox through Mailpit's API and open the links
 * in the browser.
 */

/** A user of its own (a viewer of the seed's demo customer): these tests change its password and address. */
async function newViewer(label: string, password: string): Promise<{ email: string; password: string }> {
  const email = `${uniqueName(label)}@example.test`;
  const prisma = e2ePrisma();
  try {
    const demo = await prisma.account.findUniqueOrThrow({ where: { slug: "demo" } });
    await prisma.user.create({
      data: {
        email,
        name: "Mail Tester",
        passwordHash: await hashPassword(password),
        memberships: { create: { accountId: demo.id, role: "VIEWER" } },
      },
    });
  } finally {
    await prisma.$disconnect();
  }
  return { email, password };
}

async function signedInPage(browser: Browser, who: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, who);
  return page;
}

test("forgot password: the link in the mail sets a new password, signs out everywhere, and works once", async ({
  page,
  browser,
}) => {
  const user = await newViewer("forgot", "the-forgotten-password");
  const elsewhere = await signedInPage(browser, user);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page).toHaveTitle(/Forgot your password\?/);
  await page.getByLabel("Email").fill("not an address");
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("email-error")).toHaveText("Enter a valid email address.");
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  const sent = page.getByTestId("reset-link-sent");
  await expect(sent).toContainText(
    `If ${user.email} belongs to a Sitepod user, a link to choose a new password`,
  );
  await screenshot(page, "forgot-password-sent");

  const mail = await e2eMailbox().waitFor(user.email, { subject: "Reset your Sitepod password" });
  const link = linkIn(mail, "/reset-password/");
  await page.goto(link.toString());
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(page.getByText(`For ${user.email}`)).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill("a-new-password-1");
  await page.getByLabel("Repeat the new password").fill("a-new-password-2");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByTestId("confirmPassword-error")).toHaveText(
    "The two new passwords differ. Type the same one twice.",
  );
  await page.getByLabel("Repeat the new password").fill("a-new-password-1");
  await screenshot(page, "reset-password");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page).toHaveURL(/\/sign-in\?reset=done$/);
  await expect(page.getByTestId("sign-in-notice")).toHaveText(
    "Your password was changed. Sign in with the new one.",
  );
  await screenshot(page, "reset-password-done");

  // The old password is gone; the new one signs in.
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Incorrect email or password." })).toBeVisible();
  await signIn(page, { email: user.email, password: "a-new-password-1" });
  await expect(page).toHaveURL(/\/accounts\/demo\/sites$/);

  // The browser signed in before the reset is signed out.
  await elsewhere.goto("/accounts/demo/sites");
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  await elsewhere.context().close();

  // The link worked once.
  await page.goto(link.toString());
  await expect(page.getByRole("heading", { name: "Link not valid" })).toBeVisible();
  await screenshot(page, "reset-password-link-used");

  const notice = await e2eMailbox().waitFor(user.email, { subject: "Your Sitepod password was changed" });
  expect(notice.Text).toContain("reset with a link sent to this address");
});

test("forgot password: an address without a user gets the same answer and no mail", async ({ page }) => {
  const nobody = `${uniqueName("nobody")}@example.test`;
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(nobody);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("reset-link-sent")).toContainText(
    `If ${nobody} belongs to a Sitepod user, a link to choose a new password is on its way.`,
  );
  // Give a mail time to arrive, were one sent: a known address's arrives well within this.
  const known = await newViewer("known", "some-password-123");
  await page.getByRole("button", { name: "Use another address" }).click();
  await page.getByLabel("Email").fill(known.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await e2eMailbox().waitFor(known.email, { subject: "Reset your Sitepod password" });
  expect(await e2eMailbox().to(nobody)).toEqual([]);
});

test("an invitation by email: sent, resent with a new link, accepted; another revoked", async ({
  page,
  browser,
}) => {
  const invitee = `${uniqueName("invitee")}@example.test`;
  await signIn(page, DEMO);
  await page.goto("/accounts/demo/members");
  await page.getByLabel("Email", { exact: true }).fill(invitee);
  await page.getByLabel("Role").selectOption("DEVELOPER");
  await expect(page.getByLabel("Send the link by email")).toBeChecked();
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByTestId("toast").filter({ hasText: `Invitation sent to ${invitee}` })).toBeVisible();
  const row = page.locator(`[data-testid="invite-row"][data-email="${invitee}"]`);
  await expect(row).not.toContainText("Not emailed");

  const mailbox = e2eMailbox();
  const first = await mailbox.waitFor(invitee, { subject: "You are invited to Demo customer on Sitepod" });
  expect(first.Text).toContain("invites you to join Demo customer on Sitepod as developer.");
  const firstLink = linkIn(first, "/invite/");

  await row.getByRole("button", { name: `Resend the invitation to ${invitee}` }).click();
  // Resending within a minute is refused: the first mail may still be on its way.
  await expect(page.getByTestId("toast").filter({ hasText: "Invitation not sent" })).toContainText(
    "less than a minute ago",
  );
  const prisma = e2ePrisma();
  try {
    await prisma.invite.updateMany({
      where: { email: invitee },
      data: { emailedAt: new Date(Date.now() - 5 * 60_000) },
    });
  } finally {
    await prisma.$disconnect();
  }
  await row.getByRole("button", { name: `Resend the invitation to ${invitee}` }).click();
  await expect(
    page.getByTestId("toast").filter({ hasText: `Invitation sent again to ${invitee}` }),
  ).toBeVisible();
  await screenshot(page, "members-invite-resent");
  const second = await mailbox.waitFor(invitee, { subject: "You are invited", count: 2 });
  const secondLink = linkIn(second, "/invite/");
  expect(secondLink.pathname).not.toBe(firstLink.pathname);

  // The invitee: the first link no longer works; the second registers and joins.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(firstLink.toString());
  await expect(visitor.getByRole("heading", { name: "Invitation not valid" })).toBeVisible();
  await visitor.goto(secondLink.toString());
  await expect(visitor.getByRole("heading", { name: "Join Demo customer" })).toBeVisible();
  await visitor.getByLabel("Your name").fill("Ivy Invitee");
  await visitor.getByLabel("Email").fill(invitee);
  await visitor.getByLabel("Password").fill("invitee-password-1");
  await visitor.getByRole("button", { name: "Create user" }).click();
  await visitor.getByRole("link", { name: "Sign in to accept" }).click();
  await visitor.getByLabel("Email").fill(invitee);
  await visitor.getByLabel("Password").fill("invitee-password-1");
  await visitor.getByRole("button", { name: "Sign in" }).click();
  await visitor.getByRole("button", { name: "Accept and open Demo customer" }).click();
  await expect(visitor).toHaveURL(/\/accounts\/demo$/);
  // A new user is asked to confirm the address.
  const confirm = await mailbox.waitFor(invitee, { subject: "Confirm your Sitepod email address" });
  await visitor.goto(linkIn(confirm, "/verify-email/").toString());
  await visitor.getByRole("button", { name: `Confirm ${invitee}` }).click();
  await expect(visitor.getByTestId("email-confirmed")).toContainText(`${invitee} is confirmed.`);
  await visitor.context().close();

  await page.reload();
  await expect(page.locator(`[data-testid="member-row"][data-email="${invitee}"]`)).toContainText(
    "Developer",
  );
  await expect(row).toHaveCount(0);

  // Another invitation, revoked: its link stops working.
  const revoked = `${uniqueName("revoked")}@example.test`;
  await page.getByLabel("Email", { exact: true }).fill(revoked);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const revokedLink = linkIn(await mailbox.waitFor(revoked, { subject: "You are invited" }), "/invite/");
  const revokedRow = page.locator(`[data-testid="invite-row"][data-email="${revoked}"]`);
  await revokedRow.getByRole("button", { name: `Revoke the invitation to ${revoked}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke invitation" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Invitation revoked" })).toBeVisible();
  await expect(revokedRow).toHaveCount(0);
  await page.goto(revokedLink.toString());
  await expect(page.getByRole("heading", { name: "Invitation not valid" })).toBeVisible();

  // The account's audit log tells who sent, resent and revoked what.
  await page.goto("/accounts/demo/audit-log");
  const audit = page.locator('[data-testid="audit-row"]');
  await expect(audit.filter({ hasText: `Sent the invitation link to ${invitee} by email` })).toHaveCount(1);
  await expect(audit.filter({ hasText: `Resent the invitation of ${invitee}` })).toHaveCount(1);
  await expect(audit.filter({ hasText: `Revoked the invitation of ${revoked}` })).toHaveCount(1);
});

test("the profile: name, and a new address that counts once confirmed from the mail", async ({ page }) => {
  const user = await newViewer("profile", "profile-password-1");
  await signIn(page, user);
  await page.goto("/profile");
  await expect(page.getByRole("link", { name: "Profile", exact: true })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByTestId("profile-email")).toHaveText(user.email);
  await expect(page.getByTestId("email-status")).toHaveText("Not confirmed");

  await page.getByLabel("Name", { exact: true }).fill("Renamed Tester");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Name saved" })).toBeVisible();

  const next = `${uniqueName("moved")}@example.test`;
  await page.getByLabel("New email address").fill(next);
  await page.getByLabel("Current password").fill("not-the-password");
  await page.getByRole("button", { name: "Send a confirmation link" }).click();
  await expect(page.getByTestId("email-current-password-error")).toHaveText(
    "This is not your current password. Type it again.",
  );
  await page.getByLabel("Current password").fill(user.password);
  await page.getByRole("button", { name: "Send a confirmation link" }).click();
  await expect(page.getByTestId("pending-email")).toContainText(`Waiting for you to confirm ${next}`);
  await screenshot(page, "profile-email-pending");

  const mail = await e2eMailbox().waitFor(next, { subject: "Confirm your new Sitepod email address" });
  await page.goto(linkIn(mail, "/verify-email/").toString());
  await expect(page.getByRole("heading", { name: "Confirm your new email address" })).toBeVisible();
  await screenshot(page, "verify-email");
  await page.getByRole("button", { name: `Confirm ${next}` }).click();
  await expect(page.getByTestId("email-confirmed")).toContainText(`Your email address is now ${next}`);
  await page.getByRole("link", { name: "Go to your profile" }).click();
  await expect(page.getByTestId("profile-email")).toHaveText(next);
  await expect(page.getByTestId("email-status")).toHaveText("Confirmed");
  await expect(page.getByRole("button", { name: "User menu" })).toContainText("Renamed Tester");
  await screenshot(page, "profile");
  await e2eMailbox().waitFor(user.email, { subject: "Your Sitepod email address was changed" });
});
