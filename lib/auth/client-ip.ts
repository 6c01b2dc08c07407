/**
 * The client address for the audit trail. Only as trustworthy as the proxy in front of the panel:
 * it is recorded, never used to grant access.
 */
export function clientIp(h: Pick<Headers, "get">): string | null {
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || h.get("x-real-ip")?.trim() || null;
  return ip ? ip.slice(0, 45) : null;
}
