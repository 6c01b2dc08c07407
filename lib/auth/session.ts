import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { clientIp } from "@/lib/auth/client-ip";
import { authOptions } from "@/lib/auth/options";
import { AppError } from "@/lib/errors";
import type { Actor as ServiceActor } from "@/lib/services/actor";
import { findActiveUserSession } from "@/lib/services/session/find-active-user-session";
import { getTwoFactorRequirement } from "@/lib/services/two-factor/get-two-factor-requirement";

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

/** Where a user who must set up two-factor sign-in is sent. */
export const TWO_FACTOR_SETUP_PATH = "/profile/two-factor";

export const TWO_FACTOR_SETUP_REQUIRED =
  "An account you belong to requires two-factor sign-in. Set it up first under Two-factor sign-in in your user menu (/profile/two-factor), then try again.";

export interface RequireActorOptions {
  /**
   * For the few calls that set up two-factor sign-in itself: allowed while an account requires it
   * and the user has not enrolled yet. Everything else is refused until they have.
   */
  beforeTwoFactorSetup?: boolean;
}

/** Whether the user may go on, or must set up two-factor sign-in first (one query). */
async function mustSetUpTwoFactor(userId: string, options: RequireActorOptions): Promise<boolean> {
  if (options.beforeTwoFactorSetup) return false;
  const { required, enrolled } = await getTwoFactorRequirement({ userId });
  return required && !enrolled;
}

/**
 * For server actions and route handlers: the signed-in caller, or AppError UNAUTHENTICATED; FORBIDDEN
 * while an account requires two-factor sign-in the caller has not set up.
 */
export async function requireActor(options: RequireActorOptions = {}): Promise<Actor> {
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (await mustSetUpTwoFactor(user.id, options)) throw new AppError("FORBIDDEN", TWO_FACTOR_SETUP_REQUIRED);
  return { userId: user.id, ip: clientIp(await headers()), sessionId: user.sessionId };
}

/**
 * For pages: anonymous visitors go to the sign-in page instead of an error, and users who must set
 * up two-factor sign-in to its page.
 */
export async function requirePageActor(
  options: RequireActorOptions = {},
): Promise<Actor & { user: SessionUser }> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  if (await mustSetUpTwoFactor(user.id, options)) redirect(TWO_FACTOR_SETUP_PATH);
  return { userId: user.id, ip: clientIp(await headers()), sessionId: user.sessionId, user };
}
