import { describe, expect, it } from "vitest";
import { describeSupportChange, parseSupportChangeData } from "./describe-support-change";

const started = {
  event: "started" as const,
  operatorName: "Olivia Operator",
  targetUserId: "u-dana",
  targetName: "Dana Customer",
  reason: "Ticket 4411: the site shows a database error",
};

describe("describeSupportChange", () => {
  it("tells the user it concerns that support signed in as them, with the reason", () => {
    expect(describeSupportChange(started, "u-dana")).toBe(
      "Support (Olivia Operator) signed in as you: Ticket 4411: the site shows a database error",
    );
  });

  it("names the user for everyone else", () => {
    expect(describeSupportChange(started, "u-owner")).toBe(
      "Support (Olivia Operator) signed in as Dana Customer: Ticket 4411: the site shows a database error",
    );
    expect(describeSupportChange(started, null)).toContain("as Dana Customer");
  });

  it("says how it ended", () => {
    expect(describeSupportChange({ ...started, event: "ended" }, "u-dana")).toBe(
      "Support (Olivia Operator) stopped acting as you",
    );
    expect(describeSupportChange({ ...started, event: "expired", minutes: 60 }, null)).toBe(
      "Support (Olivia Operator) stopped acting as Dana Customer: the support session ended after 60 minutes",
    );
    expect(describeSupportChange({ ...started, event: "signed-out" }, null)).toBe(
      "Support (Olivia Operator) signed out while acting as Dana Customer",
    );
  });
});

describe("parseSupportChangeData", () => {
  it("reads what the rows keep and nothing else", () => {
    expect(parseSupportChangeData(started)).toEqual(started);
    expect(parseSupportChangeData({ ...started, event: "hijacked" })).toBeNull();
    expect(parseSupportChangeData(null)).toBeNull();
  });
});
