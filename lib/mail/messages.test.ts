import { describe, expect, it } from "vitest";
import {
  emailChangedMessage,
  emailTakenMessage,
  escapeHtml,
  inviteMessage,
  oneLine,
  passwordChangedMessage,
  passwordResetMessage,
  verifyEmailMessage,
} from "@/lib/mail/messages";

const LINK = "https://panel.example.com/reset-password/AbC_-123";

describe("escapeHtml and oneLine", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
    );
  });

  it("keeps what users typed to one line of bounded length", () => {
    expect(oneLine("Acme\r\nBcc: victim@example.com")).toBe("Acme Bcc: victim@example.com");
    expect(oneLine("  x\u2028y\t ")).toBe("x y");
    expect(oneLine("a".repeat(130), 120)).toBe(`${"a".repeat(119)}…`);
  });
});

describe("password reset", () => {
  const mail = passwordResetMessage({ to: "ann@example.test", name: "Ann", link: LINK, validMinutes: 60 });

  it("carries the link once in the text and as the button's and the fallback's target in the HTML", () => {
    expect(mail.subject).toBe("Reset your Sitepod password");
    expect(mail.text).toContain(`Choose a new password: ${LINK}`);
    expect(mail.text).toContain("It works once, for 1 hour.");
    expect(mail.html.match(new RegExp(`href="${LINK}"`, "g"))).toHaveLength(2);
    expect(mail.text).toContain("If you did not ask for this, ignore this mail");
  });

  it("escapes a name with markup and never lets it break the greeting", () => {
    const evil = passwordResetMessage({
      to: "ann@example.test",
      name: '<img src=x onerror="alert(1)">\nP.S. click evil.example',
      link: LINK,
      validMinutes: 60,
    });
    expect(evil.html).not.toContain("<img");
    expect(evil.html).toContain(
      "Hello &lt;img src=x onerror=&quot;alert(1)&quot;&gt; P.S. click evil.example,",
    );
    expect(evil.text.split("\n")[0]).toBe('Hello <img src=x onerror="alert(1)"> P.S. click evil.example,');
  });

  it("says how long in the unit that reads best", () => {
    expect(
      verifyEmailMessage({ to: "a@b.test", name: "A", link: LINK, validMinutes: 24 * 60, change: false })
        .text,
    ).toContain("for 24 hours");
    expect(passwordResetMessage({ to: "a@b.test", name: "A", link: LINK, validMinutes: 30 }).text).toContain(
      "for 30 minutes",
    );
    expect(passwordResetMessage({ to: "a@b.test", name: "", link: LINK, validMinutes: 120 }).text).toMatch(
      /^Hello,\n[\s\S]*for 2 hours/,
    );
  });
});

describe("the other messages", () => {
  it("tells a change of address apart from a confirmation", () => {
    const change = verifyEmailMessage({
      to: "new@b.test",
      name: "A",
      link: LINK,
      validMinutes: 60,
      change: true,
    });
    expect(change.subject).toBe("Confirm your new Sitepod email address");
    expect(change.text).toContain("until then your old address stays in use");
    const confirm = verifyEmailMessage({
      to: "a@b.test",
      name: "A",
      link: LINK,
      validMinutes: 60,
      change: false,
    });
    expect(confirm.subject).toBe("Confirm your Sitepod email address");
  });

  it("notices carry no secret link", () => {
    for (const mail of [
      passwordChangedMessage({ to: "a@b.test", name: "A", by: "reset", signInUrl: "https://p.test/sign-in" }),
      emailTakenMessage({ to: "a@b.test", signInUrl: "https://p.test/sign-in" }),
      emailChangedMessage({ to: "old@b.test", name: "A", newEmail: "new@b.test" }),
    ]) {
      expect(mail.text).not.toMatch(/reset-password|verify-email/);
    }
  });

  it("invites with who, where, which role and until when, the account's name kept to one line", () => {
    const mail = inviteMessage({
      to: "ivy@example.test",
      inviterName: "Olga <Owner>",
      inviterEmail: "olga@acme.test",
      accountName: "Acme\nBcc: x@evil.test",
      role: "DEVELOPER",
      link: "https://panel.example.com/invite/tok",
      expiresAt: new Date(Date.UTC(2026, 11, 7, 12, 0)),
    });
    expect(mail.subject).toBe("You are invited to Acme Bcc: x@evil.test on Sitepod");
    expect(mail.text).toContain(
      "Olga <Owner> (olga@acme.test) invites you to join Acme Bcc: x@evil.test on Sitepod as developer.",
    );
    expect(mail.text).toContain("works until Mon, 07 Dec 2026 12:00:00 GMT");
    expect(mail.html).toContain("Olga &lt;Owner&gt;");
  });
});
