import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

/** The account is no reseller: only resellers white-label the panel of the accounts below them. */
export function notAReseller(): AppError {
  return new AppError("INVALID_INPUT", "Only resellers brand the panel of the accounts below them.");
}

/**
 * One message for every hostname that cannot be the reseller's (reserved, a site's domain, another
 * reseller's), so that nobody learns from it whether, or by whom, a name is held.
 */
export const HOSTNAME_NOT_AVAILABLE_MESSAGE =
  "This hostname is not available. Choose another, or contact your provider if it is yours.";

export function hostnameNotAvailable(): AppError {
  return new AppError("CONFLICT", HOSTNAME_NOT_AVAILABLE_MESSAGE, {
    hostname: HOSTNAME_NOT_AVAILABLE_MESSAGE,
  });
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}
