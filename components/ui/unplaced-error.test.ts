import { describe, expect, it } from "vitest";
import { unplacedError } from "./unplaced-error";

describe("unplacedError", () => {
  it("leaves errors of rendered fields at their fields", () => {
    expect(
      unplacedError({ message: "Fix it.", fieldErrors: { name: "Enter a name." } }, ["name"]),
    ).toBeNull();
  });

  it("shows form-level errors and errors of fields the form does not render", () => {
    expect(
      unplacedError({ message: "Fix it.", fieldErrors: { _form: "Change at least one field." } }, ["name"]),
    ).toBe("Change at least one field.");
    expect(unplacedError({ message: "Fix it.", fieldErrors: { allotment: "No." } }, ["name"])).toBe(
      "Fix it.",
    );
    expect(unplacedError({ message: "Plan not found." }, ["name"])).toBe("Plan not found.");
  });
});
