import { describe, expect, it } from "vitest";
import { fieldErrorsFromZod } from "@/lib/errors";
import { startImpersonationSchema } from "./impersonation";

function fieldErrors(input: unknown) {
  const parsed = startImpersonationSchema.safeParse(input);
  return parsed.success ? null : fieldErrorsFromZod(parsed.error);
}

describe("startImpersonationSchema", () => {
  it("asks for a reason the customer can read", () => {
    expect(startImpersonationSchema.parse({ userId: "cm1", reason: "  Ticket 4411: DNS help  " })).toEqual({
      userId: "cm1",
      reason: "Ticket 4411: DNS help",
    });
    expect(fieldErrors({ userId: "cm1", reason: "help" })?.reason).toMatch(/at least 10 characters/);
    expect(fieldErrors({ userId: "cm1" })?.reason).toBe("Say why you sign in as this user.");
    expect(fieldErrors({ userId: "../x", reason: "a good reason" })?.userId).toBeDefined();
  });
});
