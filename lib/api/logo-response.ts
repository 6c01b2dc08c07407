import { logoResponseHeaders } from "@/lib/brand/logo";
import type { BrandLogo } from "@/lib/services/brand/get-brand-logo";

/**
 * A logo as an image response (lib/brand/logo.ts logoResponseHeaders: its real type, nosniff, an SVG
 * sandboxed), or 304 when the browser already holds this version.
 */
export function logoResponse(req: Request, logo: BrandLogo, cacheControl: string): Response {
  const headers = logoResponseHeaders({ contentType: logo.contentType, sha256: logo.sha256, cacheControl });
  if (req.headers.get("if-none-match") === headers.etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(logo.bytes), { status: 200, headers });
}
