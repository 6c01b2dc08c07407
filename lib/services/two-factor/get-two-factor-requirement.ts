import type { Db } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";

export interface TwoFactorRequirement {
  /** The user has confirmed an authenticator. */
  enrolled: boolean;
  /** An account the user is a member of, or one of its ancestors, requires two-factor sign-in. */
  required: boolean;
}

/**
 * One query, run for every signed-in request (lib/auth/session.ts): whether the user must enrol
 * before doing anything else. An account's requirement reaches its members and the members of
 * every account below it (its path is a prefix of theirs), never the members of accounts above.
 */
export async function getTwoFactorRequirement(options: {
  userId: string;
  db?: Db;
}): Promise<TwoFactorRequirement> {
  const db = options.db ?? prisma;
  const rows = await db.$queryRaw<
    { enrolled: number | bigint | boolean; required: number | bigint | boolean }[]
  >`
    SELECT (u.twoFactorEnabledAt IS NOT NULL) AS enrolled,
      EXISTS (
        SELECT 1 FROM Membership m
        JOIN Account member ON member.id = m.accountId
        JOIN Account requiring ON requiring.requireTwoFactor = TRUE
          AND member.path LIKE CONCAT(requiring.path, '%')
        WHERE m.userId = u.id
      ) AS required
    FROM User u WHERE u.id = ${options.userId}`;
  const row = rows[0];
  if (!row) return { enrolled: false, required: false };
  return { enrolled: Number(row.enrolled) === 1, required: Number(row.required) === 1 };
}
