import { describe, expect, it } from "vitest";
import { describeChange } from "./describe-change";

describe("describeChange", () => {
  it("names the action, the kind and the object's name when the change carries it", () => {
    expect(describeChange({ kind: "Site", action: "CREATED", data: { name: "blog", app: "PHP" } })).toBe(
      "Created site blog",
    );
    expect(describeChange({ kind: "Site", action: "UPDATED", data: { deletionRequested: true } })).toBe(
      "Requested the deletion of site",
    );
    expect(describeChange({ kind: "Plan", action: "DELETED", data: null })).toBe("Deleted plan");
  });
});
