import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { authSecret } from "@/lib/auth/secret";
import { endSessionOnSignOut, sessionIdOf, startSession } from "@/lib/auth/session-lifecycle";
import { TOO_MANY_ATTEMPTS } from "@/lib/auth/sign-in-throttle";
import { signInThrottle } from "@/lib/auth/sign-in-throttle-store";
import { checkSignInSecondFactor } from "@/lib/auth/two-factor";
import { TWO_FACTOR_INVALID, TWO_FACTOR_REQUIRED } from "@/lib/auth/two-factor-errors";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { requestClientAddress } from "@/lib/http/client-address";
import { log } from "@/lib/log";
import { panelIsHttps } from "@/lib/security/origin";
import { sameOriginPath } from "@/lib/security/same-origin-path";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
  }
}

// next-auth builds callback and redirect URLs from NEXTAUTH_URL; the panel listens on 127.0.0.1 locally.
process.env.NEXTAUTH_URL ??= "http://127.0.0.1:3000";

/** Shown for an unknown user and for a wrong password alike, so that sign-in does not reveal accounts. */
export const INCORRECT_CREDENTIALS = "Incorrect email or password.";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const authOptions: NextAuthOptions = {
  // A getter: resolved per request, so that `next build` does not demand the production secret.
  get secret() {
    return authSecret();
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // Secure cookies (next-auth then names them __Secure-/__Host-) whenever the panel's URL is https:
  // next-auth's own default, made explicit. A getter, so that the URL the server runs with decides.
  get useSecureCookies() {
    return panelIsHttps();
  },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        // Second step for users with two-factor sign-in (lib/auth/two-factor.ts).
        code: { label: "Authentication code", type: "text" },
        rememberDevice: { label: "Remember this device for 30 days", type: "checkbox" },
      },
      async authorize(credentials, req) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const attempt = { email: parsed.data.email, ip: requestClientAddress(req.headers) };
        const throttle = signInThrottle();
        const retryAfter = await throttle.retryAfterSeconds(attempt);
        if (retryAfter !== null) {
          log.warn("sign-in throttled", { event: "auth.sign_in_throttled", ip: attempt.ip, retryAfter });
          // next-auth hands the message to the sign-in form as `error`.
          throw new Error(TOO_MANY_ATTEMPTS);
        }
        const user = await verifyCredentials(parsed.data);
        if (!user) {
          await throttle.recordFailure(attempt);
          log.info("sign-in rejected", { event: "auth.sign_in_failed", ip: attempt.ip });
          return null;
        }
        const secondFactor = await checkSignInSecondFactor({
          userId: user.id,
          credentials,
          cookieHeader: typeof req.headers?.cookie === "string" ? req.headers.cookie : undefined,
        });
        // Not a success yet: recordSuccess would clear the failures a code-guesser has built up.
        if (secondFactor === "required") throw new Error(TWO_FACTOR_REQUIRED);
        if (secondFactor === "invalid") {
          await throttle.recordFailure(attempt);
          throw new Error(TWO_FACTOR_INVALID);
        }
        await throttle.recordSuccess(attempt);
        log.info("signed in", { event: "auth.sign_in", userId: user.id });
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // `user` is only present on sign-in; later calls carry the token forward unchanged.
      if (user) {
        token.sub = user.id;
        token.email = user.email;
        token.name = user.name;
        await startSession(token, user.id, SESSION_MAX_AGE_SECONDS);
      }
      return token;
    },
    session({ session, token }) {
      session.user = { id: token.sub ?? "", email: token.email ?? "", name: token.name ?? "" };
      session.sessionId = sessionIdOf(token);
      return session;
    },
    // Where sign-in and sign-out send the browser: only paths of the panel (never an open redirect).
    redirect({ url, baseUrl }) {
      return new URL(sameOriginPath(url, new URL(baseUrl).origin) ?? "/", baseUrl).toString();
    },
  },
  events: {
    // The JWT cookie is cleared in this browser; revoking its row kills any copy of it elsewhere.
    signOut: ({ token }) => endSessionOnSignOut(token),
  },
};
