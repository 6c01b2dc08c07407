/** Reading `Authorization: Bearer` headers (RFC 6750), pure. */

/** The credential of an `Authorization: Bearer <credential>` header (scheme case-insensitive), or null. */
export function bearerCredential(authorizationHeader: string | null | undefined): string | null {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorizationHeader ?? "");
  return match?.[1] ?? null;
}

/**
 * Whether an Authorization header uses the Bearer scheme: such a request is authenticated by it
 * alone. Other schemes (Basic credentials a proxy in front of the panel adds) are not Sitepod's.
 */
export function hasBearerScheme(authorizationHeader: string | null | undefined): boolean {
  return /^\s*bearer(\s|$)/i.test(authorizationHeader ?? "");
}
