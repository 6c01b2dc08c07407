import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { clientIp } from "@/lib/auth/client-ip";
import { authOptions } from "@/lib/auth/options";
import { AppError } from "@/lib/errors";
import type { Actor as ServiceActor } from "@/lib/services/actor";
import { findActiveUserSession } from "@/lib/services/session/find-active-user-session";

export { clientIp };

/** The caller as services take it; from a request the address is always resolved (or null). */
export type Actor = ServiceActor & { ip: string | null; sessionId: string };

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  /** The live UserSession row this request came through. */
  sessionId: string;
}

/**
 * The signed-in user, or null. A valid JWT is not enough: the UserSession row it names must exist,
 * be the user's and be neither revoked nor expired, so that sign-out, a password change or a
 * removal ends the session at once (one primary-key read per request).
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const user = session?.user;
  const sessionId = session?.sessionId;
  if (!user?.id || !sessionId) return null;
  const active = await findActiveUserSession({ sessionId, userId: user.id });
  if (!active) return null;
  return { id: user.id, email: user.email, name: user.name, sessionId: active.id };
}

/** For server actions and route handlers: the signed-in caller, or AppError UNAUTHENTICATED. */
export async function requireActor(): Promise<Actor> {
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return { userId: user.id, ip: clientIp(await headers()), sessionId: user.sessionId };
}

/** For pages: anonymous visitors go to the sign-in page instead of an error. */
export async function requirePageActor(): Promise<Actor & { user: SessionUser }> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return { userId: user.id, ip: clientIp(await headers()), sessionId: user.sessionId, user };
}
