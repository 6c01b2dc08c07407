import { describe, expect, it } from "vitest";
import { fieldErrorsFromZod } from "@/lib/errors";
import { searchSchema } from "./search";

function fieldErrors(schema: typeof searchSchema, input: unknown) {
  const parsed = schema.safeParse(input);
  return parsed.success ? null : fieldErrorsFromZod(parsed.error);
}

describe("searchSchema", () => {
  it("trims the query and asks for two characters at least, a hundred at most", () => {
    expect(searchSchema.parse({ q: "  acme " })).toEqual({ q: "acme" });
    expect(fieldErrors(searchSchema, { q: " a " })).toEqual({ q: "Type at least 2 characters." });
    expect(fieldErrors(searchSchema, { q: "x".repeat(101) })).toEqual({ q: "Use at most 100 characters." });
    expect(fieldErrors(searchSchema, {})).toEqual({ q: "Type what to search for." });
  });
});
