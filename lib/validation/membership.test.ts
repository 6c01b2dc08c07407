import { describe, expect, it } from "vitest";
import { acceptInviteSchema, createInviteSchema, transferOwnershipSchema } from "./membership";

describe("createInviteSchema", () => {
  it("takes an invitable role and an optional, normalised email", () => {
    expect(createInviteSchema.parse({ role: "DEVELOPER" })).toEqual({ role: "DEVELOPER" });
    expect(createInviteSchema.parse({ role: "VIEWER", email: "" })).toEqual({ role: "VIEWER" });
    expect(createInviteSchema.parse({ role: "ADMIN", email: " Ann@Example.COM " })).toEqual({
      role: "ADMIN",
      email: "ann@example.com",
    });
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
