/**
 * A reseller's logo: which images are accepted and how they are recognised. Pure. The type is read
 * from the bytes, never from what the browser or an API client claims, so the Content-Type the
 * logo is served with is always the format it is in.
 */

export const LOGO_MAX_BYTES = 256 * 1024;

export const LOGO_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp", "image/svg+xml"] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];

export const LOGO_EXTENSIONS: Record<LogoContentType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/svg+xml": "svg",
};

export const LOGO_FORMATS_MESSAGE = "Choose a PNG, JPEG, WebP or SVG image.";

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((byte, i) => bytes[offset + i] === byte);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The image format of `bytes` by its signature (SVG: an XML document whose root is <svg>), or null. */
export function detectLogoType(bytes: Uint8Array): LogoContentType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  const text = svgText(bytes);
  if (text !== null && svgRootOpens(text)) return "image/svg+xml";
  return null;
}

/** The bytes as UTF-8 text without a byte-order mark, or null when they are not valid UTF-8. */
function svgText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return null;
  }
}

/** After an optional XML declaration, comments and whitespace, the first element is <svg>. */
function svgRootOpens(text: string): boolean {
  const rest = text.replace(/^\s*(<\?xml[^>]*\?>)?(\s|<!--[\s\S]*?-->)*/, "");
  return /^<svg[\s>/]/i.test(rest);
}

/**
 * What an SVG logo must not contain: anything that runs code or reaches out when the file is opened
 * on its own (it is also served with a CSP that forbids all of that, and shown only as an <img>,
 * where browsers run none of it): scripts, event handlers, javascript: URLs, embedded documents,
 * and DTDs (entity expansion).
 */
const ACTIVE_SVG_CONTENT: readonly [RegExp, string][] = [
  [/<script[\s>/]/i, "a script"],
  [/\son[a-z]+\s*=/i, "an event handler (on...=)"],
  [/javascript\s*:/i, "a javascript: link"],
  [/<foreignObject[\s>/]/i, "embedded HTML (foreignObject)"],
  [/<(iframe|embed|object)[\s>/]/i, "an embedded document"],
  [/<!(DOCTYPE|ENTITY)/i, "a DOCTYPE or entity declaration"],
];

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/** Why `bytes` cannot be a logo, or null; and the format it is in. */
export function checkLogo(
  bytes: Uint8Array,
): { ok: true; contentType: LogoContentType } | { ok: false; problem: string } {
  if (bytes.length === 0) return { ok: false, problem: "The file is empty. Choose an image." };
  if (bytes.length > LOGO_MAX_BYTES) {
    return {
      ok: false,
      problem: `The image is ${kib(bytes.length)}; a logo may be at most ${kib(LOGO_MAX_BYTES)}. Export it smaller.`,
    };
  }
  const contentType = detectLogoType(bytes);
  if (!contentType)
    return { ok: false, problem: `This file is not an image Sitepod accepts. ${LOGO_FORMATS_MESSAGE}` };
  if (contentType === "image/svg+xml") {
    const text = svgText(bytes) ?? "";
    const found = ACTIVE_SVG_CONTENT.find(([pattern]) => pattern.test(text));
    if (found) {
      return {
        ok: false,
        problem: `This SVG contains ${found[1]}, which a logo must not. Export it as a plain SVG, or as a PNG.`,
      };
    }
  }
  return { ok: true, contentType };
}

/**
 * The headers a logo is served with: its real type, never sniffed, and for an SVG opened on its own
 * a policy that lets it load and run nothing (inline styles aside) in a sandbox.
 */
export function logoResponseHeaders(options: {
  contentType: string;
  sha256: string;
  cacheControl: string;
}): Record<string, string> {
  const extension = LOGO_EXTENSIONS[options.contentType as LogoContentType] ?? "bin";
  return {
    "content-type": options.contentType,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "content-disposition": `inline; filename="logo.${extension}"`,
    "cross-origin-resource-policy": "same-origin",
    "cache-control": options.cacheControl,
    etag: `"${options.sha256}"`,
  };
}
