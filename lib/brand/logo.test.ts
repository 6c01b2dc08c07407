import { describe, expect, it } from "vitest";
import { checkLogo, detectLogoType, LOGO_MAX_BYTES, logoResponseHeaders } from "@/lib/brand/logo";

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);

const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16);
const WEBP = text("RIFF\u0024\u0000\u0000\u0000WEBPVP8 ");
const SVG = text(
  '<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#1d4ed8"/></svg>',
);

describe("detectLogoType", () => {
  it("reads the format from the bytes", () => {
    expect(detectLogoType(PNG)).toBe("image/png");
    expect(detectLogoType(JPEG)).toBe("image/jpeg");
    expect(detectLogoType(WEBP)).toBe("image/webp");
    expect(detectLogoType(SVG)).toBe("image/svg+xml");
    expect(detectLogoType(text("\uFEFF<svg></svg>"))).toBe("image/svg+xml");
  });

  it("knows no other format, and no document that merely mentions <svg>", () => {
    expect(detectLogoType(text("GIF89a"))).toBeNull();
    expect(detectLogoType(text("<html><svg></svg></html>"))).toBeNull();
    expect(detectLogoType(text("%PDF-1.7"))).toBeNull();
    expect(detectLogoType(bytes(0xc3, 0x28))).toBeNull();
  });
});

describe("checkLogo", () => {
  it("accepts the four formats up to the size limit", () => {
    expect(checkLogo(PNG)).toEqual({ ok: true, contentType: "image/png" });
    expect(checkLogo(SVG)).toEqual({ ok: true, contentType: "image/svg+xml" });
    const big = new Uint8Array(LOGO_MAX_BYTES);
    big.set(PNG);
    expect(checkLogo(big).ok).toBe(true);
  });

  it("refuses empty, too large and unknown files with a reason", () => {
    expect(checkLogo(new Uint8Array())).toEqual({
      ok: false,
      problem: "The file is empty. Choose an image.",
    });
    const tooBig = new Uint8Array(LOGO_MAX_BYTES + 1);
    tooBig.set(PNG);
    expect(checkLogo(tooBig)).toEqual({
      ok: false,
      problem: "The image is 257 KiB; a logo may be at most 256 KiB. Export it smaller.",
    });
    expect(checkLogo(text("GIF89a"))).toEqual({
      ok: false,
      problem: "This file is not an image Sitepod accepts. Choose a PNG, JPEG, WebP or SVG image.",
    });
  });

  it("refuses an SVG with active content", () => {
    const cases: [string, string][] = [
      ["<svg><script>alert(1)</script></svg>", "a script"],
      ['<svg onload="alert(1)"></svg>', "an event handler"],
      ['<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "a javascript: link"],
      ["<svg><foreignObject><div/></foreignObject></svg>", "embedded HTML"],
      ['<svg><iframe src="x"/></svg>', "an embedded document"],
    ];
    for (const [svg, what] of cases) {
      const result = checkLogo(text(svg));
      expect(result.ok, svg).toBe(false);
      expect(result.ok ? "" : result.problem, svg).toContain(`This SVG contains ${what}`);
    }
    // A DOCTYPE before the root: not even recognised as an SVG root then, still refused.
    expect(checkLogo(text('<!DOCTYPE svg [<!ENTITY a "b">]><svg></svg>')).ok).toBe(false);
  });
});

describe("logoResponseHeaders", () => {
  it("serves the real type, never sniffed, an SVG without scripts in a sandbox", () => {
    const headers = logoResponseHeaders({
      contentType: "image/svg+xml",
      sha256: "ab".repeat(32),
      cacheControl: "private, max-age=3600",
    });
    expect(headers).toMatchObject({
      "content-type": "image/svg+xml",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      "content-disposition": 'inline; filename="logo.svg"',
      etag: `"${"ab".repeat(32)}"`,
    });
  });
});
