import type { Db } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

export interface TwoFactorRequirement {
  /** The user has confirmed an authenticator. */
  enrolled: boolean;
  /** An account the user is a member of, or one of its ancestors, requires two-factor sign-in. */
  required: boolean;
}

/**
 * SQL: whether an account the user is a member of, or one of its ancestors, requires two-factor
 * sign-in (an account's requirement reaches the members of every account below it: its path is a
 * prefix of theirs; never the members of accounts above). `userId` is a value or a column of the
 * enclosing statement (API token authentication reads it with the token, in one statement).
 */
export function twoFactorRequiredSql(userId: Prisma.Sql | string): Prisma.Sql {
  return Prisma.sql`EXISTS (
    SELECT 1 FROM Membership tfm
    JOIN Account tfMember ON tfMember.id = tfm.accountId
    JOIN Account tfRequiring ON tfRequiring.requireTwoFactor = TRUE
      AND tfMember.path LIKE CONCAT(tfRequiring.path, '%')
    WHERE tfm.userId = ${userId}
  )`;
}

/** A boolean column as MariaDB answers it through a raw query: 0 or 1, as a number or a bigint. */
export type SqlBoolean = number | bigint | boolean;

export function sqlBoolean(value: SqlBoolean): boolean {
  return Number(value) === 1;
}

/**
 * One query, run for every signed-in request (lib/auth/session.ts): whether the user must enrol
 * before doing anything else.
 */
export async function getTwoFactorRequirement(options: {
  userId: string;
  db?: Db;
}): Promise<TwoFactorRequirement> {
  const db = options.db ?? prisma;
  const rows = await db.$queryRaw<{ enrolled: SqlBoolean; required: SqlBoolean }[]>`
    SELECT (u.twoFactorEnabledAt IS NOT NULL) AS enrolled, ${twoFactorRequiredSql(Prisma.raw("u.id"))} AS required
    FROM User u WHERE u.id = ${options.userId}`;
  const row = rows[0];
  if (!row) return { enrolled: false, required: false };
  return { enrolled: sqlBoolean(row.enrolled), required: sqlBoolean(row.required) };
}
