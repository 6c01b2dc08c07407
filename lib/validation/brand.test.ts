import { describe, expect, it } from "vitest";
import { fieldErrorsFromZod } from "@/lib/errors";
import { brandLogoSchema, updateBrandSchema } from "@/lib/validation/brand";

function errors(input: unknown): Record<string, string> {
  const parsed = updateBrandSchema.safeParse(input);
  return parsed.success ? {} : fieldErrorsFromZod(parsed.error);
}

describe("updateBrandSchema", () => {
  it("normalises the name, the colour and the hostname", () => {
    expect(
      updateBrandSchema.parse({
        name: "  Acme Hosting ",
        primaryColor: "#1D4ED8",
        hostname: "Panel.Acme.TEST.",
      }),
    ).toEqual({ name: "Acme Hosting", primaryColor: "#1d4ed8", hostname: "panel.acme.test" });
    expect(updateBrandSchema.parse({ name: "A", primaryColor: "#000", hostname: "" }).hostname).toBeNull();
    expect(updateBrandSchema.parse({ name: "A", primaryColor: "#000" }).hostname).toBeNull();
    // International names in punycode, as a site's domain.
    expect(
      updateBrandSchema.parse({ name: "A", primaryColor: "#000", hostname: "bücher.example" }).hostname,
    ).toBe("xn--bcher-kva.example");
  });

  it("puts each problem at its field", () => {
    expect(errors({ name: "", primaryColor: "#ffcc00", hostname: "not a host" })).toEqual({
      name: "Enter the name your customers see.",
      primaryColor: expect.stringContaining("#ffcc00 is too light"),
      hostname: expect.any(String),
    });
    expect(errors({ name: "A\u202eB", primaryColor: "blue" })).toMatchObject({
      name: expect.stringContaining("invisible or control character"),
      primaryColor: "Enter a colour as a hex code, e.g. #1d4ed8.",
    });
    expect(errors({ name: "x".repeat(81), primaryColor: "#000" }).name).toBe("Use at most 80 characters.");
  });
});

describe("brandLogoSchema", () => {
  it("takes base64 up to the size limit's worth", () => {
    expect(brandLogoSchema.safeParse({ logo: "iVBORw0KGgo=" }).success).toBe(true);
    const refused = brandLogoSchema.safeParse({ logo: "not base64!" });
    expect(refused.success ? {} : fieldErrorsFromZod(refused.error)).toEqual({
      logo: "The file was not sent as base64.",
    });
    const huge = brandLogoSchema.safeParse({ logo: "A".repeat(400_000) });
    expect(huge.success ? {} : fieldErrorsFromZod(huge.error)).toEqual({
      logo: "A logo may be at most 256 KiB. Export it smaller.",
    });
  });
});
