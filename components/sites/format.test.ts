import { describe, expect, it } from "vitest";
import { formatUtc } from "@/components/sites/format";

describe("formatUtc", () => {
  it("formats ISO timestamps in UTC, whatever the machine's zone", () => {
    expect(formatUtc("2025-03-04T05:06:07.000Z")).toBe("4 Mar 2025, 05:06 UTC");
  });

  it("shows a dash for values that are not dates", () => {
    expect(formatUtc("not a date")).toBe("—");
  });
});
