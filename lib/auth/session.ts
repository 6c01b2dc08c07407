import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { AppError } from "@/lib/errors";
import type { Actor as ServiceActor } from "@/lib/services/actor";

/** The caller as services take it; from a request the address is always resolved (or null). */
export type Actor = ServiceActor & { ip: string | null };

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/**
 * The client address for the audit trail. Only as trustworthy as the proxy in front of the panel:
 * it is recorded, never used to grant access.
 */
export function clientIp(h: Pick<Headers, "get">): string | null {
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || h.get("x-real-ip")?.trim() || null;
  return ip ? ip.slice(0, 45) : null;
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
