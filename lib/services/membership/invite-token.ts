import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes as base64url (43 characters): shown once to the inviter, never stored. */
export function generateInviteToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored and looked up: a leaked database does not leak usable invitation links. */
export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
