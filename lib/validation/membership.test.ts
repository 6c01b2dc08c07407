import { describe, expect, it } from "vitest";
import { acceptInviteSchema, createInviteSchema, transferOwnershipSchema } from "./membership";

describe("createInviteSchema", () => {
  it("takes an invitable role and an optional, normalised email", () => {
    expect(createInviteSchema.parse({ role: "DEVELOPER" })).toEqual({ role: "DEVELOPER", sendEmail: false });
    expect(createInviteSchema.parse({ role: "VIEWER", email: "" })).toEqual({
      role: "VIEWER",
      sendEmail: false,
    });
    expect(createInviteSchema.parse({ role: "ADMIN", email: " Ann@Example.COM " })).toEqual({
      role: "ADMIN",
      email: "ann@example.com",
      sendEmail: false,
    });
  });

  it("sends the link by email only to an address given", () => {
    expect(createInviteSchema.parse({ role: "VIEWER", email: "ann@example.com", sendEmail: true })).toEqual({
      role: "VIEWER",
      email: "ann@example.com",
      sendEmail: true,
    });
    const refused = createInviteSchema.safeParse({ role: "VIEWER", email: " ", sendEmail: true });
    expect(refused.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["email", "Enter the email address to send the link to."],
    ]);
    expect(createInviteSchema.safeParse({ role: "VIEWER", sendEmail: "yes" }).error?.issues[0]?.message).toBe(
      "Choose whether to send the link by email.",
    );
  });

  it("never invites an owner and refuses a malformed email", () => {
    expect(createInviteSchema.safeParse({ role: "OWNER" }).error?.issues[0]?.message).toBe(
      "Choose admin, developer or viewer.",
    );
    expect(createInviteSchema.safeParse({ role: "VIEWER", email: "nope" }).error?.issues[0]?.message).toBe(
      "Enter a valid email address, or leave it empty.",
    );
  });
});

describe("acceptInviteSchema", () => {
  it("accepts a 43-character base64url token only", () => {
    const token = `${"A".repeat(42)}_`;
    expect(acceptInviteSchema.parse({ token: ` ${token} ` })).toEqual({ token });
    expect(acceptInviteSchema.safeParse({ token: "short" }).error?.issues[0]?.message).toBe(
      "This invitation link is not valid.",
    );
    expect(acceptInviteSchema.safeParse({ token: `${"A".repeat(42)}=` }).success).toBe(false);
  });
});

describe("transferOwnershipSchema", () => {
  it("requires a member", () => {
    expect(transferOwnershipSchema.safeParse({ userId: "" }).error?.issues[0]?.message).toBe(
      "Choose a member.",
    );
  });
});
