/**
 * Authenticated encryption for secrets at rest (site credentials, database server passwords):
 * AES-256-GCM with a random 96-bit nonce per message.
 *
 * Format: `v1.<nonce>.<ciphertext>.<tag>`, each part base64url. The version prefix lets a later key
 * rotation or algorithm change coexist with rows written today.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const VERSION = "v1";
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

export interface SecretBox {
  seal(plaintext: string): string;
  open(ciphertext: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError(`Secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
  return {
    seal(plaintext) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, nonce, body, tag]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    open(ciphertext) {
      const parts = ciphertext.split(".");
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new SecretBoxError(
          `Unsupported secret format (expected ${VERSION}.<nonce>.<ciphertext>.<tag>)`,
        );
      }
      const [, nonceText = "", bodyText = "", tagText = ""] = parts;
      const nonce = Buffer.from(nonceText, "base64url");
      const body = Buffer.from(bodyText, "base64url");
      const tag = Buffer.from(tagText, "base64url");
      if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
        throw new SecretBoxError("Malformed secret: bad nonce or tag length");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, nonce);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        // GCM does not say whether the key or the data is wrong; neither do we.
        throw new SecretBoxError("Secret could not be decrypted: wrong key or tampered data");
      }
    },
  };
}

export function parseSecretKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError(
      `${source} must be ${KEY_BYTES} random bytes in base64 (e.g. \`openssl rand -base64 32\`), ` +
        `got ${key.length} bytes`,
    );
  }
  return key;
}

export interface LoadSecretKeyOptions {
  env?: Record<string, string | undefined>;
  /** Where the development key lives; default `<cwd>/.sitepod/secret-key`. */
  devKeyFile?: string;
}

/**
 * SITEPOD_SECRET_KEY when set. Outside production, a key generated once into .sitepod/secret-key
 * (so `npm run up` works without setup and secrets survive restarts). In production a missing key
 * is an error: a generated key would silently make every stored secret unreadable on the next pod.
 */
export function loadSecretKey(options: LoadSecretKeyOptions = {}): Buffer {
  const env = options.env ?? process.env;
  const fromEnv = env.SITEPOD_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== "") return parseSecretKey(fromEnv, "SITEPOD_SECRET_KEY");
  if (env.NODE_ENV === "production") {
    throw new SecretBoxError(
      "SITEPOD_SECRET_KEY is not set: in production it must hold 32 random bytes in base64 " +
        "(e.g. `openssl rand -base64 32`), and stay the same across restarts",
    );
  }
  // turbopackIgnore: a runtime file, not a build input (.sitepod may be a symlink out of the project).
  const file =
    options.devKeyFile ?? path.join(/* turbopackIgnore: true */ process.cwd(), ".sitepod", "secret-key");
  try {
    return parseSecretKey(readFileSync(file, "utf8"), file);
  } catch (err) {
    if (!isMissingFile(err)) throw err;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    // "wx": when the web server and the reconciler start together, the first writer wins.
    writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return parseSecretKey(readFileSync(file, "utf8"), file);
  }
}

function isMissingFile(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

let defaultBox: SecretBox | undefined;

function box(): SecretBox {
  defaultBox ??= createSecretBox(loadSecretKey());
  return defaultBox;
}

/** Encrypts with the process key (SITEPOD_SECRET_KEY or the development key file). */
export function seal(plaintext: string): string {
  return box().seal(plaintext);
}

/** Decrypts what seal() produced; throws SecretBoxError on a wrong key or tampered data. */
export function open(ciphertext: string): string {
  return box().open(ciphertext);
}
