import { panelOrigin } from "@/lib/security/origin";

const MUTATING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isMutatingMethod(method: string): boolean {
  return MUTATING_METHODS.has(method.toUpperCase());
}

/** From the headers: a server may hand a handler an empty body stream for any DELETE. */
function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  return (length !== null && length.trim() !== "0") || req.headers.has("transfer-encoding");
}

function isJson(contentType: string | null): boolean {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/**
 * Why a cookie-authenticated request that changes something must be refused as cross-site, or null
 * when it may proceed. Browsers attach the session cookie to requests any site makes, so a change is
 * accepted only when the browser says it comes from the panel itself: `Origin` equal to the panel's
 * origin, or, without `Origin`, `Sec-Fetch-Site: same-origin`. A request with neither is not from a
 * modern browser's page and is refused too. A body must be JSON: other sites can send text/plain or
 * form bodies without a preflight, never application/json.
 *
 * Only for callers authenticated by the session cookie; a caller presenting a token in a header
 * (which no other site can make a browser send) is not subject to it.
 */
export function crossSiteRefusal(req: Request, ownOrigin: string = panelOrigin()): string | null {
  if (!isMutatingMethod(req.method)) return null;
  const origin = req.headers.get("origin");
  const fetchSite = req.headers.get("sec-fetch-site");
  const sameOrigin = origin !== null ? origin === ownOrigin : fetchSite === "same-origin";
  if (!sameOrigin) {
    return `This change was refused because it did not come from the panel at ${ownOrigin}. Make it from the panel's own pages; if you reached the panel through another address, use ${ownOrigin}.`;
  }
  const needsJson = req.method.toUpperCase() !== "DELETE" || hasBody(req);
  if (needsJson && !isJson(req.headers.get("content-type"))) {
    return "This change was refused because its body was not sent as JSON. Send it with Content-Type: application/json.";
  }
  return null;
}
