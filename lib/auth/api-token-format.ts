/**
 * The shape of an API token, pure: `sp_<id>_<secret><checksum>`.
 *
 * - `sp_` marks it as Sitepod's, so that secret scanners (and people) recognise a leaked one;
 * - `<id>`: 16 random lowercase letters and digits, the row's primary key, not a secret (the panel
 *   lists it, the audit log names it); the token is looked up by it, never by the secret;
 * - `<secret>`: 40 random base62 characters (about 238 bits);
 * - `<checksum>`: 6 base62 characters of the CRC-32 of everything before it, so that a scanner
 *   can tell a real token from a look-alike and a mistyped one is refused without a database read.
 *
 * Only the SHA-256 of the whole token is stored. A fast hash is right here, unlike for passwords:
 * the secret is random and long, so there is nothing to guess, and every API request checks one.
 * The stored and computed hashes are compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";
import { API_TOKEN_ID_LENGTH } from "@/lib/validation/api-token";

export const API_TOKEN_PREFIX = "sp_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
const SECRET_LENGTH = 40;
const CHECKSUM_LENGTH = 6;

/** What a token looks like, for scanners and for refusing garbage early. */
export const API_TOKEN_PATTERN = new RegExp(
  `^${API_TOKEN_PREFIX}([0-9a-z]{${API_TOKEN_ID_LENGTH}})_([0-9A-Za-z]{${SECRET_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);

/** `length` characters drawn uniformly from `alphabet` (rejection sampling: no modulo bias). */
function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

function base62(value: number, width: number): string {
  let rest = value;
  let out = "";
  for (let i = 0; i < width; i += 1) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksum(body: string): string {
  // 62^6 > 2^32: six characters hold every CRC-32.
  return base62(crc32(body), CHECKSUM_LENGTH);
}

export interface GeneratedApiToken {
  id: string;
  /** The whole token: shown once, never stored. */
  token: string;
  /** What is stored. */
  secretHash: string;
}

export function generateApiToken(): GeneratedApiToken {
  const id = randomString(ID_ALPHABET, API_TOKEN_ID_LENGTH);
  const body = `${API_TOKEN_PREFIX}${id}_${randomString(BASE62, SECRET_LENGTH)}`;
  const token = `${body}${checksum(body)}`;
  return { id, token, secretHash: hashApiToken(token) };
}

/** The id a well-formed token embeds, or null for anything that is not one (checksum included). */
export function parseApiToken(token: string): { id: string } | null {
  const match = API_TOKEN_PATTERN.exec(token);
  if (!match?.[1]) return null;
  const body = token.slice(0, token.length - CHECKSUM_LENGTH);
  if (checksum(body) !== token.slice(-CHECKSUM_LENGTH)) return null;
  return { id: match[1] };
}

/** Hex SHA-256 of the whole token. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether `token` hashes to `secretHash`, compared in constant time. */
export function apiTokenMatches(token: string, secretHash: string): boolean {
  const expected = Buffer.from(secretHash, "hex");
  const actual = Buffer.from(hashApiToken(token), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
