import type { Db } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

export interface TwoFactorRequirement {
  /** The user has confirmed an authenticator. */
  enrolled: boolean;
  /** An account the user is a member of, or one of its ancestors, requires two-factor sign-in. */
  required: boolean;
}

/** A boolean column as MariaDB answers it through a raw query: 0 or 1, as a number or a bigint. */
type SqlBoolean = number | bigint | boolean;

/** The two columns twoFactorColumnsSql selects. */
export interface TwoFactorColumns {
  twoFactorEnrolled: SqlBoolean;
  twoFactorRequired: SqlBoolean;
}

/**
 * SQL: the two-factor requirement of the user the enclosing statement reads as `userAlias` (a User
 * row), as the columns `twoFactorEnrolled` and `twoFactorRequired`, so that the checks run on every
 * request (a session's, an API token's) read it in their own statement. Required: an account the
 * user is a member of, or one of its ancestors, requires it (an account's requirement reaches the
 * members of every account below it: its path is a prefix of theirs; never those of accounts
 * above). Only the accounts that require it are read (index Account(requireTwoFactor, path)).
 */
export function twoFactorColumnsSql(userAlias: "u"): Prisma.Sql {
  const user = Prisma.raw(userAlias);
  return Prisma.sql`(${user}.twoFactorEnabledAt IS NOT NULL) AS twoFactorEnrolled,
    EXISTS (
      SELECT 1 FROM Membership tfm
      JOIN Account tfMember ON tfMember.id = tfm.accountId
      JOIN Account tfRequiring ON tfRequiring.requireTwoFactor = TRUE
        AND tfMember.path LIKE CONCAT(tfRequiring.path, '%')
      WHERE tfm.userId = ${user}.id
    ) AS twoFactorRequired`;
}

/** The requirement from the columns twoFactorColumnsSql selected. */
export function twoFactorOf(row: TwoFactorColumns): TwoFactorRequirement {
  return { enrolled: Number(row.twoFactorEnrolled) === 1, required: Number(row.twoFactorRequired) === 1 };
}

/**
 * Whether the user must enrol before doing anything else, in one query. Sessions and API tokens
 * read the same columns with their own row (twoFactorColumnsSql); this is for the rest (turning
 * two-factor sign-in off, which a requirement forbids).
 */
export async function getTwoFactorRequirement(options: {
  userId: string;
  db?: Db;
}): Promise<TwoFactorRequirement> {
  const db = options.db ?? prisma;
  const rows = await db.$queryRaw<TwoFactorColumns[]>`
    SELECT ${twoFactorColumnsSql("u")} FROM User u WHERE u.id = ${options.userId}`;
  const row = rows[0];
  return row ? twoFactorOf(row) : { enrolled: false, required: false };
}
