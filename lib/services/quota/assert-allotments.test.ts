import { describe, expect, it } from "vitest";
import { parentPathOf } from "./assert-allotments";

describe("parentPathOf", () => {
  it("drops the account's own id from its materialized path", () => {
    expect(parentPathOf("/root/res/acme/")).toBe("/root/res/");
    expect(parentPathOf("/root/")).toBe("/");
  });
});
