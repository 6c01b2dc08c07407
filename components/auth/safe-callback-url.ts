import { sameOriginPath } from "@/lib/security/same-origin-path";

/**
 * Where the sign-in page sends a user once signed in: a path of the panel itself (see
 * sameOriginPath: anything else would make the page an open redirect), never back to sign-in or
 * into the API; "/" otherwise.
 */
export function safeCallbackUrl(value: string | null | undefined, origin: string): string {
  const path = sameOriginPath(value, origin);
  if (!path || path.startsWith("/sign-in") || path.startsWith("/api/")) return "/";
  return path;
}
