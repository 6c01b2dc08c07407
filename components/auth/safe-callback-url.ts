/**
 * Where to go after signing in. Only same-origin paths: an absolute or protocol-relative URL in
 * `callbackUrl` would turn the sign-in page into an open redirect.
 */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (value.startsWith("/sign-in") || value.startsWith("/api/")) return "/";
  return value;
}
