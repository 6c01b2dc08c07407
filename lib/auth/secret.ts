import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stateDir } from "@/lib/state-dir";

let cached: string | undefined;

/**
 * The key that signs and encrypts session JWTs: NEXTAUTH_SECRET. A production server requires it (a
 * secret shared through the repo would let anyone forge sessions; `npm run up` generates one into its
 * state folder and passes it, see scripts/local-keys.mjs). `next dev` falls back to a random secret
 * generated once into <state folder>/auth-secret, so that restarts keep developers signed in.
 */
export function authSecret(): string {
  const fromEnv = process.env.NEXTAUTH_SECRET;
  if (fromEnv) return fromEnv;
  if (cached) return cached;
  if (process.env.NODE_ENV === "production") {
    throw new Error(
      "NEXTAUTH_SECRET is not set: in production it must hold a random secret (e.g. `openssl rand -base64 32`). " +
        "`npm run up` sets it for a local install.",
    );
  }
  const file = path.join(stateDir(), "auth-secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) {
      cached = stored;
      return stored;
    }
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const generated = randomBytes(32).toString("base64url");
  // "wx" fails if another process (the reconciler, a second dev server) wrote it first; read theirs.
  try {
    writeFileSync(file, `${generated}\n`, { flag: "wx", mode: 0o600 });
    chmodSync(file, 0o600);
    cached = generated;
  } catch {
    cached = readFileSync(file, "utf8").trim();
  }
  return cached;
}
