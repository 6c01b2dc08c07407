import { requestClientAddress } from "@/lib/http/client-address";

/**
 * The client address for the audit trail and the session list: the socket address, or what trusted
 * proxies (SITEPOD_TRUSTED_PROXIES) say is behind them (lib/http/client-address.ts). Recorded, never
 * used to grant access.
 */
export function clientIp(h: Pick<Headers, "get">): string | null {
  return requestClientAddress(h);
}
