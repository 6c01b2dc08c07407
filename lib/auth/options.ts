import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { authSecret } from "@/lib/auth/secret";
import { signInThrottle, TOO_MANY_ATTEMPTS } from "@/lib/auth/sign-in-throttle";
import { checkSignInSecondFactor } from "@/lib/auth/two-factor";
import { TWO_FACTOR_INVALID, TWO_FACTOR_REQUIRED } from "@/lib/auth/two-factor-errors";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { log } from "@/lib/log";

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

/** The client address from next-auth's plain header record (see clientIp in session.ts). */
function requestIp(headers: Record<string, unknown> | undefined): string | null {
  const header = (name: string) => {
    const value = headers?.[name];
    return typeof value === "string" ? value : Array.isArray(value) ? String(value[0]) : undefined;
  };
  const ip = header("x-forwarded-for")?.split(",")[0]?.trim() || header("x-real-ip")?.trim() || null;
  return ip ? ip.slice(0, 45) : null;
}

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export const authOptions: NextAuthOptions = {
  // A getter: resolved per request, so that `next build` does not demand the production secret.
  get secret() {
    return authSecret();
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
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
        const attempt = { email: parsed.data.email, ip: requestIp(req.headers) };
        const throttle = signInThrottle();
        const retryAfter = throttle.retryAfterSeconds(attempt);
        if (retryAfter !== null) {
          log.warn("sign-in throttled", { event: "auth.sign_in_throttled", ip: attempt.ip, retryAfter });
          // next-auth hands the message to the sign-in form as `error`.
          throw new Error(TOO_MANY_ATTEMPTS);
        }
        const user = await verifyCredentials(parsed.data);
        if (!user) {
          throttle.recordFailure(attempt);
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
          throttle.recordFailure(attempt);
          throw new Error(TWO_FACTOR_INVALID);
        }
        throttle.recordSuccess(attempt);
        log.info("signed in", { event: "auth.sign_in", userId: user.id });
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      // `user` is only present on sign-in; later calls carry the token forward unchanged.
      if (user) {
        token.sub = user.id;
        token.email = user.email;
        token.name = user.name;
      }
      return token;
    },
    session({ session, token }) {
      session.user = { id: token.sub ?? "", email: token.email ?? "", name: token.name ?? "" };
      return session;
    },
  },
};
