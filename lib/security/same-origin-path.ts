/**
 * Where to send a user after signing in (or out): only paths of the panel itself. Anything else in
 * `callbackUrl` would turn the panel into an open redirect. Browsers drop tabs and newlines from
 * URLs and treat backslashes as slashes, so "/\t/evil.example" reaches evil.example: the value is
 * resolved with the URL parser against the panel's origin, and refused when anything in it, raw
 * or percent-decoded, is a control, whitespace or backslash character, or the result is not a
 * path that starts with a single slash.
 */

/** Control and format characters, every Unicode space (tab, newline, U+3000...), backslash. */
const UNSAFE_CHARACTER = /[\p{C}\p{Z}\\]/u;

/** The path (with query and fragment) `value` leads to inside the panel at `origin`, or null. */
export function sameOriginPath(value: string | null | undefined, origin: string): string | null {
  if (!value) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return null;
  }
  if (UNSAFE_CHARACTER.test(value) || UNSAFE_CHARACTER.test(decoded)) return null;
  if (!value.startsWith("/") && !value.startsWith(`${origin}/`)) return null;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as a host.
  if (url.pathname.startsWith("//") || decodeURIComponent(url.pathname).startsWith("//")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
