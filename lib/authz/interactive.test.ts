import { describe, expect, it } from "vitest";
import type { AppError } from "@/lib/errors";
import { requireInteractive } from "./interactive";

const token = { id: "t", name: "ci", accountId: "a", accountPath: "/a/", role: "OWNER" as const };
const impersonation = { id: "imp", operatorUserId: "u-op", operatorName: "Olivia", expiresAt: new Date() };

function refusal(actor: Parameters<typeof requireInteractive>[0]): AppError | null {
  try {
    requireInteractive(actor, "change your password");
    return null;
  } catch (err) {
    return err as AppError;
  }
}

describe("requireInteractive", () => {
  it("lets the person themselves through", () => {
    expect(refusal({ token: null, impersonation: null })).toBeNull();
    expect(refusal({})).toBeNull();
  });

  it("refuses an API token and a support session, each with its own reason", () => {
    expect(refusal({ token })).toMatchObject({
      code: "FORBIDDEN",
      message: "An API token cannot change your password. Sign in to the panel to do it.",
    });
    expect(refusal({ impersonation })).toMatchObject({ code: "FORBIDDEN" });
    expect(refusal({ impersonation })?.message).toMatch(/^A support session cannot change your password/);
  });
});
