/**
 * Password hashing with argon2id at OWASP's recommended minimum (19 MiB memory, 2 iterations,
 * parallelism 1): expensive enough against offline guessing, cheap enough for a 2-core server.
 */
import { hash, type Options, verify } from "@node-rs/argon2";

// 2 is Algorithm.Argon2id: the package exports it as a const enum, which isolatedModules cannot read.
export const ARGON2_OPTIONS: Options = {
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password and for a malformed hash alike (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
