import { describe, expect, it } from "vitest";
import { isTransitional, pollInterval } from "@/lib/query/polling";

describe("polling", () => {
  it("treats provisioning and deleting sites as transitional", () => {
    expect(isTransitional("PROVISIONING")).toBe(true);
    expect(isTransitional("DELETING")).toBe(true);
    expect(isTransitional("RUNNING")).toBe(false);
    expect(isTransitional("DEGRADED")).toBe(false);
  });

  it("polls often only when live events are not flowing", () => {
    expect(pollInterval("offline")).toBeLessThan(pollInterval("connected"));
    expect(pollInterval("connecting")).toBe(pollInterval("offline"));
  });
});
