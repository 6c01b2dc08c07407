/**
 * The next-auth side of server sessions (see user-sessions.ts): lib/auth/options.ts calls these from
 * its jwt callback (sign-in), session callback and signOut event, and keeps no logic of its own.
 */
import { headers } from "next/headers";
import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { clientIp } from "@/lib/auth/client-ip";
import { log } from "@/lib/log";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";

declare module "next-auth" {
  interface Session {
    /** The UserSession row behind this JWT; getSessionUser refuses a session without a live one. */
    sessionId?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The UserSession row's id. */
    sid?: string;
  }
}

async function requestDetails(): Promise<{ ip: string | null; userAgent: string | null }> {
  try {
    const h = await headers();
    return { ip: clientIp(h), userAgent: h.get("user-agent") };
  } catch {
    // Outside a request (never for a real sign-in): record the session without them.
    return { ip: null, userAgent: null };
  }
}

/** On sign-in: a new UserSession row whose id the JWT carries from now on. */
export async function startSession(token: JWT, userId: string, maxAgeSeconds: number): Promise<void> {
  token.sid = await createUserSession({ userId, maxAgeSeconds, ...(await requestDetails()) });
}

/** What the session callback exposes of the token beyond the user. */
export function sessionIdOf(token: JWT): Session["sessionId"] {
  return typeof token.sid === "string" ? token.sid : undefined;
}

/**
 * next-auth's signOut event: the signed-out JWT's row is revoked, so a copy of the cookie is dead.
 * A support session it was in ends with it (revokeUserSessions), and the customer's audit log says so.
 */
export async function endSessionOnSignOut(token: JWT | null | undefined): Promise<void> {
  if (!token?.sub || typeof token.sid !== "string") return;
  try {
    await revokeUserSessions({ userId: token.sub, sessionId: token.sid });
    log.info("signed out", { event: "auth.sign_out", userId: token.sub });
  } catch (err) {
    // next-auth swallows errors thrown by events; say so in the log instead.
    log.error("could not revoke the session at sign-out", { err, userId: token.sub });
  }
}
