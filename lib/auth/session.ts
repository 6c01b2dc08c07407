import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { clientIp } from "@/lib/auth/client-ip";
import { authOptions } from "@/lib/auth/options";
import { AppError } from "@/lib/errors";
import type { ImpersonationGrant, Actor as ServiceActor } from "@/lib/services/actor";
import { findActiveUserSession } from "@/lib/services/session/find-active-user-session";
import type { TwoFactorRequirement } from "@/lib/services/two-factor/get-two-factor-requirement";

export { clientIp };

/**
 * A signed-in user (session cookie); API token callers are lib/auth/bearer.ts Principals. From a
 * request the address is always resolved (or null). In a support session `userId` is the user the
 * operator acts as, and `impersonation` says who the operator is.
 */
export type Actor = ServiceActor & {
  ip: string | null;
  sessionId: string;
  token?: null;
  impersonation: ImpersonationGrant | null;
};

/** The support session a browser's session is in, as pages show it (the banner). */
export interface SessionImpersonation {
  id: string;
  operatorUserId: string;
  operatorName: string;
  reason: string;
  expiresAt: string;
}

export interface SessionUser {
  /** Whom the requests act as: the signed-in user, or in a support session the user acted as. */
  id: string;
  email: string;
  name: string;
  /** The live UserSession row this request came through. */
  sessionId: string;
  /** Set in a support session: the operator who signed in as `id` (the session is theirs). */
  impersonation: SessionImpersonation | null;
}

/** The signed-in user and their two-factor requirement, both read with the session. */
interface SessionRead {
  user: SessionUser;
  twoFactor: TwoFactorRequirement;
}

/**
 * The signed-in user, or null. A valid JWT is not enough: the UserSession row it names must exist,
 * be the user's and be neither revoked nor expired, so that sign-out, a password change or a
 * removal ends the session at once (one statement per request, which also reads the two-factor
 * requirement). In a support session (the row points to one, lib/services/impersonation/) the
 * answer is the user the operator acts as.
 */
async function readSession(): Promise<SessionRead | null> {
  const session = await getServerSession(authOptions);
  const user = session?.user;
  const sessionId = session?.sessionId;
  if (!user?.id || !sessionId) return null;
  const active = await findActiveUserSession({ sessionId, userId: user.id });
  if (!active) return null;
  const support = active.impersonation;
  const signedIn: SessionUser = support
    ? {
        ...support.target,
        sessionId: active.id,
        impersonation: {
          id: support.id,
          operatorUserId: support.operatorUserId,
          operatorName: support.operatorName,
          reason: support.reason,
          expiresAt: support.expiresAt.toISOString(),
        },
      }
    : // The row's email and name: the token keeps those it was issued with, before any change.
      { id: user.id, ...active.user, sessionId: active.id, impersonation: null };
  return { user: signedIn, twoFactor: active.twoFactor };
}

/** The signed-in user, or null: see readSession. */
export async function getSessionUser(): Promise<SessionUser | null> {
  return (await readSession())?.user ?? null;
}

function grantOf(user: SessionUser): ImpersonationGrant | null {
  const support = user.impersonation;
  if (!support) return null;
  return {
    id: support.id,
    operatorUserId: support.operatorUserId,
    operatorName: support.operatorName,
    expiresAt: new Date(support.expiresAt),
  };
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

/**
 * Whether the user may go on, or must set up two-factor sign-in first. In a support session it is
 * the operator's own sign-in that counts (the session is theirs): they are the person at the keyboard.
 */
function mustSetUpTwoFactor(session: SessionRead, options: RequireActorOptions): boolean {
  if (options.beforeTwoFactorSetup) return false;
  return session.twoFactor.required && !session.twoFactor.enrolled;
}

/**
 * For server actions and route handlers: the signed-in caller, or AppError UNAUTHENTICATED; FORBIDDEN
 * while an account requires two-factor sign-in the caller has not set up.
 */
export async function requireActor(options: RequireActorOptions = {}): Promise<Actor> {
  const session = await readSession();
  if (!session) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (mustSetUpTwoFactor(session, options)) throw new AppError("FORBIDDEN", TWO_FACTOR_SETUP_REQUIRED);
  const { user } = session;
  return {
    userId: user.id,
    ip: clientIp(await headers()),
    sessionId: user.sessionId,
    impersonation: grantOf(user),
  };
}

/**
 * For pages: anonymous visitors go to the sign-in page instead of an error, and users who must set
 * up two-factor sign-in to its page.
 */
export async function requirePageActor(
  options: RequireActorOptions = {},
): Promise<Actor & { user: SessionUser }> {
  const session = await readSession();
  if (!session) redirect("/sign-in");
  if (mustSetUpTwoFactor(session, options)) redirect(TWO_FACTOR_SETUP_PATH);
  const { user } = session;
  return {
    userId: user.id,
    ip: clientIp(await headers()),
    sessionId: user.sessionId,
    impersonation: grantOf(user),
    user,
  };
}
