import { describe, expect, it } from "vitest";
import { IMPERSONATION_MINUTES, impersonationExpiry, impersonationRefusal } from "./impersonation";

const customer = { id: "u-customer", name: "Dana Customer", isOperator: false, accountCount: 1 };

describe("impersonationRefusal", () => {
  it("allows a customer who belongs to an account", () => {
    expect(impersonationRefusal("u-operator", customer)).toBeNull();
  });

  it("refuses oneself, another operator and a user of no account, saying why", () => {
    expect(impersonationRefusal("u-customer", customer)).toBe("You cannot sign in as yourself.");
    expect(impersonationRefusal("u-operator", { ...customer, isOperator: true })).toBe(
      "Dana Customer is a platform operator: operators cannot sign in as each other.",
    );
    expect(impersonationRefusal("u-operator", { ...customer, accountCount: 0 })).toMatch(
      /belongs to no account/,
    );
  });
});

describe("impersonationExpiry", () => {
  it("is a fixed time after the start", () => {
    const start = new Date("2026-12-12T10:00:00.000Z");
    expect(impersonationExpiry(start).getTime() - start.getTime()).toBe(IMPERSONATION_MINUTES * 60_000);
  });
});
