import { describe, expect, it } from "vitest";
import { mailFrom, parseSmtpUrl, redactSmtpUrl } from "@/lib/mail/smtp-config";

describe("parseSmtpUrl", () => {
  it("reads plain SMTP with its default submission port and no login", () => {
    expect(parseSmtpUrl("smtp://mail.example.com")).toEqual({
      host: "mail.example.com",
      port: 587,
      secure: false,
      requireTLS: false,
    });
  });

  it("reads a loopback server on its own port (the local Mailpit)", () => {
    expect(parseSmtpUrl("smtp://127.0.0.1:1025")).toMatchObject({ host: "127.0.0.1", port: 1025 });
  });

  it("reads smtps with a percent-encoded login and port 465 by default", () => {
    expect(parseSmtpUrl("smtps://apikey:p%40ss%2Fw0rd@smtp.example.com")).toEqual({
      host: "smtp.example.com",
      port: 465,
      secure: true,
      requireTLS: false,
      auth: { user: "apikey", pass: "p@ss/w0rd" },
    });
  });

  it("can insist on STARTTLS", () => {
    expect(parseSmtpUrl("smtp://u:p@mail.example.com:587?starttls=required")).toMatchObject({
      secure: false,
      requireTLS: true,
    });
  });

  it("takes an IPv6 address without its brackets", () => {
    expect(parseSmtpUrl("smtp://[::1]:2525")).toMatchObject({ host: "::1", port: 2525 });
  });

  it.each([
    ["", "is not a URL"],
    ["mail.example.com:25", "must start with smtp:// or smtps://"],
    ["http://mail.example.com", "must start with smtp:// or smtps://, not http://"],
    ["smtp://mail.example.com/inbox", "has a path (/inbox)"],
    ["smtp://mail.example.com?tls=yes", "unknown setting ?tls="],
    ["smtp://mail.example.com?starttls=maybe", "takes only the value required"],
    ["smtps://mail.example.com?starttls=required", "?starttls= is for smtp://"],
    ["smtp://:secret@mail.example.com", "has a password but no user"],
    ["smtp://user:%E0%A4%A@mail.example.com", "malformed %-escape"],
  ])("refuses %j, saying it %s", (value, message) => {
    expect(() => parseSmtpUrl(value)).toThrow(message);
  });
});

describe("redactSmtpUrl", () => {
  it("masks the password and keeps the rest", () => {
    expect(redactSmtpUrl("smtps://apikey:secret@smtp.example.com:465")).toBe(
      "smtps://apikey:***@smtp.example.com:465",
    );
    expect(redactSmtpUrl("not a url")).toBe("(not a URL)");
  });
});

describe("mailFrom", () => {
  it("uses SITEPOD_MAIL_FROM when set", () => {
    expect(mailFrom("Acme Hosting <panel@acme.example>", "panel.acme.example")).toBe(
      "Acme Hosting <panel@acme.example>",
    );
  });

  it("defaults to no-reply at the panel's host name", () => {
    expect(mailFrom(undefined, "panel.example.com")).toBe("Sitepod <no-reply@panel.example.com>");
  });

  it("falls back to sitepod.local for an address or a bare host name", () => {
    expect(mailFrom(undefined, "127.0.0.1")).toBe("Sitepod <no-reply@sitepod.local>");
    expect(mailFrom(undefined, "localhost")).toBe("Sitepod <no-reply@sitepod.local>");
    expect(mailFrom("  ", "[::1]")).toBe("Sitepod <no-reply@sitepod.local>");
  });
});
