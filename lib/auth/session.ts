import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { AppError } from "@/lib/errors";
import { requestClientAddress } from "@/lib/http/client-address";
import type { Actor as ServiceActor } from "@/lib/services/actor";

/** The caller as services take it; from a request the address is always resolved (or null). */
export type Actor = ServiceActor & { ip: string | null };

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/**
 * The client address for the audit trail: the socket address, or what trusted proxies
 * (SITEPOD_TRUSTED_PROXIES) say is behind them (lib/http/client-address.ts). Recorded, never used
 * to grant access.
 */
export function clientIp(h: Pick<Headers, "get">): string | null {
  return requestClientAddress(h);
}

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const user = session?.user;
  if (!user?.id) return null;
  return { id: user.id, email: user.email, name: user.name };
}

/** For server actions and route handlers: the signed-in caller, or AppError UNAUTHENTICATED. */
export async function requireActor(): Promise<Actor> {
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return { userId: user.id, ip: clientIp(await headers()) };
}

/** For pages: anonymous visitors go to the sign-in page instead of an error. */
export async function requirePageActor(): Promise<Actor & { user: SessionUser }> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return { userId: user.id, ip: clientIp(await headers()), user };
}
