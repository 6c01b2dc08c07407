import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { fieldErrorsFromZod } from "@/lib/errors";
import { addDomainSchema, siteRoutingSchema, updateDomainSchema, wwwCounterpart } from "./domain";

function errors(schema: z.ZodType, value: unknown): Record<string, string> {
  const parsed = schema.safeParse(value);
  return parsed.success ? {} : fieldErrorsFromZod(parsed.error);
}

describe("addDomainSchema", () => {
  it("converts the name to punycode and defaults to an alias without the www counterpart", () => {
    expect(addDomainSchema.parse({ domain: " Bücher.Example. " })).toEqual({
      domain: "xn--bcher-kva.example",
      redirectToPrimary: false,
      includeWww: false,
    });
  });

  it("answers bad names and bad options at their fields", () => {
    expect(errors(addDomainSchema, { domain: "shop" })).toEqual({
      domain: "Enter a full domain name with a dot (e.g. example.com).",
    });
    expect(
      errors(addDomainSchema, { domain: "shop.example", redirectToPrimary: "yes", includeWww: 1 }),
    ).toEqual({
      redirectToPrimary: "Choose whether the domain redirects to the primary domain.",
      includeWww: "Choose whether to add the www counterpart too.",
    });
    expect(errors(addDomainSchema, {})).toEqual({ domain: "Enter a domain name." });
  });
});

describe("updateDomainSchema", () => {
  it("takes making primary or switching redirect/alias", () => {
    expect(updateDomainSchema.parse({ isPrimary: true })).toEqual({ isPrimary: true });
    expect(updateDomainSchema.parse({ redirectToPrimary: false })).toEqual({ redirectToPrimary: false });
  });

  it("refuses an empty change and un-making the primary, saying what to do", () => {
    expect(errors(updateDomainSchema, {})).toEqual({
      _form: "Say what to change: isPrimary or redirectToPrimary.",
    });
    expect(errors(updateDomainSchema, { isPrimary: false })).toEqual({
      isPrimary: "To change the primary domain, make another domain primary.",
    });
  });
});

describe("siteRoutingSchema", () => {
  it("needs forceHttps as a boolean", () => {
    expect(siteRoutingSchema.parse({ forceHttps: true })).toEqual({ forceHttps: true });
    expect(errors(siteRoutingSchema, { forceHttps: "on" })).toEqual({
      forceHttps: "Choose whether to force HTTPS.",
    });
  });
});

describe("wwwCounterpart", () => {
  it.each([
    ["example.com", "www.example.com"],
    ["www.example.com", "example.com"],
    ["shop.example.com", "www.shop.example.com"],
    ["xn--bcher-kva.example", "www.xn--bcher-kva.example"],
    ["www.com", null],
    [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(60)}`, null],
  ])("of %s is %s", (hostname, counterpart) => {
    expect(wwwCounterpart(hostname)).toBe(counterpart);
  });
});
