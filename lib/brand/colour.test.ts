import { describe, expect, it } from "vitest";
import {
  AA_TEXT_CONTRAST,
  BLACK,
  brandColourProblem,
  brandPalette,
  brandStyleSheet,
  contrastRatio,
  DARK_SURFACE,
  normalizeHexColour,
  parseHexColour,
  readableBrandColour,
  readableTextColour,
  WHITE,
} from "@/lib/brand/colour";

const rgb = (hex: string) => {
  const parsed = parseHexColour(hex);
  if (!parsed) throw new Error(hex);
  return parsed;
};

describe("parseHexColour", () => {
  it("reads #rrggbb and #rgb, with or without #, in any case", () => {
    expect(parseHexColour("#1d4ed8")).toEqual({ r: 29, g: 78, b: 216 });
    expect(parseHexColour("1D4ED8")).toEqual({ r: 29, g: 78, b: 216 });
    expect(parseHexColour(" #14d ")).toEqual({ r: 17, g: 68, b: 221 });
    expect(normalizeHexColour("#14D")).toBe("#1144dd");
  });

  it("refuses everything else", () => {
    for (const value of ["", "#", "#12", "#12345", "#1234567", "blue", "#ggg", "rgb(0,0,0)", "#12 34 56"]) {
      expect(parseHexColour(value), value).toBeNull();
    }
  });
});

describe("contrastRatio", () => {
  it("follows WCAG 2: black on white is 21:1, a colour on itself 1:1, in either order", () => {
    expect(contrastRatio(BLACK, WHITE)).toBeCloseTo(21, 5);
    expect(contrastRatio(WHITE, BLACK)).toBeCloseTo(21, 5);
    expect(contrastRatio(rgb("#777777"), rgb("#777777"))).toBe(1);
    // Known values: #767676 is the lightest grey with 4.5:1 on white.
    expect(contrastRatio(rgb("#767676"), WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(rgb("#777777"), WHITE)).toBeLessThan(4.5);
  });

  it("picks the text colour that reads better", () => {
    expect(readableTextColour(rgb("#1d4ed8"))).toBe("#ffffff");
    expect(readableTextColour(rgb("#fde047"))).toBe("#09090b");
  });
});

describe("brandColourProblem", () => {
  it("accepts a colour readable on white and under white text", () => {
    expect(brandColourProblem("#1d4ed8")).toBeNull();
    expect(brandColourProblem("#767676")).toBeNull();
    expect(brandColourProblem("#000")).toBeNull();
  });

  it("refuses a light colour with its ratio and the nearest darker shade that passes", () => {
    const problem = brandColourProblem("#FFCC00");
    expect(problem).toMatch(/^#ffcc00 is too light: .* its contrast is 1\.\d\d:1, below the 4\.5:1/);
    const suggested = readableBrandColour("#ffcc00");
    expect(problem).toContain(`The nearest darker shade that reads well is ${suggested}.`);
    expect(suggested).not.toBeNull();
    expect(brandColourProblem(suggested as string)).toBeNull();
    // Nearest: one step lighter would fail again.
    expect(contrastRatio(rgb(suggested as string), WHITE)).toBeLessThan(AA_TEXT_CONTRAST + 0.5);
  });

  it("refuses what is no colour", () => {
    expect(brandColourProblem("teal")).toBe("Enter a colour as a hex code, e.g. #1d4ed8.");
  });
});

describe("brandPalette", () => {
  it("keeps every pairing the panel draws readable, for every accepted #rgb colour", () => {
    let accepted = 0;
    for (let n = 0; n < 16 ** 3; n += 1) {
      const hex = `#${n.toString(16).padStart(3, "0")}`;
      if (brandColourProblem(hex) !== null) continue;
      accepted += 1;
      const palette = brandPalette(hex);
      const shade = (key: keyof typeof palette) => rgb(palette[key]);
      // Buttons: white text on 600; links: 600 on white.
      expect(contrastRatio(shade("600"), WHITE), hex).toBeGreaterThanOrEqual(AA_TEXT_CONTRAST);
      expect(contrastRatio(shade("onBrand"), shade("600")), hex).toBeGreaterThanOrEqual(AA_TEXT_CONTRAST);
      // The current page in the sidebar: 700 on the 50 tint; hover: 700 on white.
      expect(contrastRatio(shade("700"), shade("50")), hex).toBeGreaterThanOrEqual(AA_TEXT_CONTRAST);
      expect(contrastRatio(shade("700"), WHITE), hex).toBeGreaterThanOrEqual(AA_TEXT_CONTRAST);
      // Dark mode: brand text on the dark surfaces.
      expect(contrastRatio(shade("dark500"), DARK_SURFACE), hex).toBeGreaterThanOrEqual(AA_TEXT_CONTRAST);
    }
    expect(accepted).toBeGreaterThan(1000);
  });

  it("writes a style sheet of hex values only, scoped to the branded part of the page", () => {
    const css = brandStyleSheet(brandPalette("#1d4ed8"));
    expect(css).toContain("[data-brand-scope]{--color-brand-50:#");
    expect(css).toContain("--color-brand-600:#1d4ed8");
    expect(css).toMatch(/html\.dark \[data-brand-scope\]\{--color-brand-500:#[0-9a-f]{6}\}$/);
    expect(css.replace(/#[0-9a-f]{6}/g, "")).not.toMatch(/[<>"'\\]/);
    // The Branding page's preview: the same shades for its own box.
    expect(brandStyleSheet(brandPalette("#1d4ed8"), "[data-brand-preview]")).toMatch(
      /^\[data-brand-preview\]\{.*\}html\.dark \[data-brand-preview\]\{--color-brand-500:#[0-9a-f]{6}\}$/,
    );
  });
});
