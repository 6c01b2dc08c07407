/**
 * A reseller's brand colour and the palette the panel derives from it, with WCAG 2 contrast
 * arithmetic. Pure: the brand form (live preview), the validation and the shell share it.
 *
 * The panel puts white text on the brand colour (buttons) and the brand colour on white (links,
 * the current page in the sidebar): both need at least AA_TEXT_CONTRAST. The two are one ratio, so
 * a colour that reads on white carries white text too; a lighter one is refused, and the nearest
 * darker shade that passes is suggested.
 */

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** WCAG 2 AA for normal text. */
export const AA_TEXT_CONTRAST = 4.5;

export const WHITE: Rgb = { r: 255, g: 255, b: 255 };
export const BLACK: Rgb = { r: 0, g: 0, b: 0 };
/** zinc-900: the panel's dark surfaces (sidebar, cards), on which dark mode shows brand text. */
export const DARK_SURFACE: Rgb = { r: 24, g: 24, b: 27 };
/** zinc-950: the darkest text the panel uses. */
export const DARK_TEXT: Rgb = { r: 9, g: 9, b: 11 };

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** "#1d4ed8", "#1D4ED8", "1d4ed8" or "#14d" as a colour; anything else null. */
export function parseHexColour(value: string): Rgb | null {
  const match = HEX.exec(value.trim());
  if (!match?.[1]) return null;
  const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join("") : match[1];
  return {
    r: Number.parseInt(digits.slice(0, 2), 16),
    g: Number.parseInt(digits.slice(2, 4), 16),
    b: Number.parseInt(digits.slice(4, 6), 16),
  };
}

/** "#rrggbb", lower-case. */
export function toHex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

/** The canonical spelling of a valid hex colour ("#14D" -> "#1144dd"), or null. */
export function normalizeHexColour(value: string): string | null {
  const rgb = parseHexColour(value);
  return rgb ? toHex(rgb) : null;
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance({ r, g, b }: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG 2 contrast ratio, 1 to 21, whichever colour is lighter. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `a` moved `amount` (0 to 1) of the way towards `b`. */
export function mix(a: Rgb, b: Rgb, amount: number): Rgb {
  const t = Math.min(1, Math.max(0, amount));
  return {
    r: Math.round(a.r + (b.r - a.r) * t),
    g: Math.round(a.g + (b.g - a.g) * t),
    b: Math.round(a.b + (b.b - a.b) * t),
  };
}

/**
 * The first colour on the way from `colour` towards `towards` (black to darken, white to lighten),
 * in steps of 1 %, that reaches `ratio` against `against`. `towards` itself ends the way; it is
 * returned even if it falls short (no colour between does better then).
 */
export function shiftUntilContrast(colour: Rgb, towards: Rgb, against: Rgb, ratio: number): Rgb {
  for (let step = 0; step <= 100; step += 1) {
    const candidate = mix(colour, towards, step / 100);
    if (contrastRatio(candidate, against) >= ratio) return candidate;
  }
  return towards;
}

/** Black-ish or white text, whichever reads better on `background`. */
export function readableTextColour(background: Rgb): string {
  return contrastRatio(WHITE, background) >= contrastRatio(DARK_TEXT, background)
    ? toHex(WHITE)
    : toHex(DARK_TEXT);
}

/** "4.52:1", rounded down so that a ratio shown as 4.50:1 really is at least 4.5. */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}

/**
 * Why `value` cannot be a brand colour, or null: not a hex colour, or too light to read on white
 * (and to carry white text). The message names the nearest darker shade that would do.
 */
export function brandColourProblem(value: string): string | null {
  const rgb = parseHexColour(value);
  if (!rgb) return "Enter a colour as a hex code, e.g. #1d4ed8.";
  const ratio = contrastRatio(rgb, WHITE);
  if (ratio >= AA_TEXT_CONTRAST) return null;
  const darker = toHex(shiftUntilContrast(rgb, BLACK, WHITE, AA_TEXT_CONTRAST));
  return `${toHex(rgb)} is too light: on white, and with white text on it, its contrast is ${formatRatio(ratio)}, below the ${AA_TEXT_CONTRAST}:1 that makes text readable (WCAG AA). The nearest darker shade that reads well is ${darker}.`;
}

/** The darker shade brandColourProblem suggests, or the colour itself when it passes (null if not a colour). */
export function readableBrandColour(value: string): string | null {
  const rgb = parseHexColour(value);
  return rgb ? toHex(shiftUntilContrast(rgb, BLACK, WHITE, AA_TEXT_CONTRAST)) : null;
}

/**
 * The shades of the panel's `brand` colour (app/globals.css) derived from a valid brand colour:
 * - 600: the colour itself (buttons with white text, links on white);
 * - 700: darker, for hover and for text on the 50 tint (the current page in the sidebar);
 * - 50 and 100: light tints for backgrounds;
 * - 500: focus rings and accents; in dark mode (`dark500`) light enough to read on the dark surfaces.
 */
export interface BrandPalette {
  "50": string;
  "100": string;
  "500": string;
  "600": string;
  "700": string;
  dark500: string;
  /** Text on the 600 shade. */
  onBrand: string;
}

export function brandPalette(primary: string): BrandPalette {
  const base = parseHexColour(primary);
  if (!base) throw new Error(`brandPalette: not a hex colour: ${primary}`);
  const tint50 = mix(base, WHITE, 0.92);
  const shade700 = shiftUntilContrast(mix(base, BLACK, 0.2), BLACK, tint50, AA_TEXT_CONTRAST);
  return {
    "50": toHex(tint50),
    "100": toHex(mix(base, WHITE, 0.82)),
    "500": toHex(base),
    "600": toHex(base),
    "700": toHex(shade700),
    dark500: toHex(shiftUntilContrast(base, WHITE, DARK_SURFACE, AA_TEXT_CONTRAST)),
    onBrand: readableTextColour(base),
  };
}

/**
 * A style sheet that gives the elements inside `selector` (default `[data-brand-scope]`) the
 * brand's shades, in light and dark mode (Tailwind's brand-* utilities read these variables). Only
 * hex values computed above and a fixed selector go into it.
 */
export function brandStyleSheet(palette: BrandPalette, selector = "[data-brand-scope]"): string {
  const light = (["50", "100", "500", "600", "700"] as const)
    .map((shade) => `--color-brand-${shade}:${palette[shade]}`)
    .join(";");
  return `${selector}{${light}}html.dark ${selector}{--color-brand-500:${palette.dark500}}`;
}
