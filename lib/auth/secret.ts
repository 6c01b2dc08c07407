import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Generated once per checkout for development; git-ignored with the rest of .sitepod/. */
// turbopackIgnore: a runtime file, not a build input (.sitepod may be a symlink out of the project).
export const DEV_SECRET_FILE = path.join(
  /* turbopackIgnore: true */ process.cwd(),
  ".sitepod",
  "auth-secret",
);

let cached: string | undefined;

function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return true;
  try {
    const { hostname } = new URL(url);
    return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
  } catch {
    return false;
  }
}

/**
 * The key that signs and encrypts session JWTs. A deployment reachable from elsewhere must set
 * NEXTAUTH_SECRET: a secret shared through the repo would let anyone forge sessions. Development and
 * local installs (`npm run up`: a production build served on 127.0.0.1) fall back to a random secret
 * generated once into .sitepod/auth-secret, so that restarts keep users signed in.
 */
export function authSecret(): string {
  const fromEnv = process.env.NEXTAUTH_SECRET;
  if (fromEnv) return fromEnv;
  if (cached) return cached;
  if (process.env.NODE_ENV === "production" && !isLoopbackUrl(process.env.NEXTAUTH_URL)) {
    throw new Error(
      "NEXTAUTH_SECRET must be set when the panel is served beyond 127.0.0.1 (openssl rand -base64 32).",
    );
  }
  if (existsSync(DEV_SECRET_FILE)) {
    const stored = readFileSync(DEV_SECRET_FILE, "utf8").trim();
    if (stored.length >= 32) {
      cached = stored;
      return stored;
    }
  }
  mkdirSync(path.dirname(DEV_SECRET_FILE), { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  // "wx" fails if another process (the reconciler, a second dev server) wrote it first; read theirs.
  try {
    writeFileSync(DEV_SECRET_FILE, `${generated}\n`, { flag: "wx", mode: 0o600 });
    chmodSync(DEV_SECRET_FILE, 0o600);
    cached = generated;
  } catch {
    cached = readFileSync(DEV_SECRET_FILE, "utf8").trim();
  }
  return cached;
}
