import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

export function cronJobNameTaken(name: string): AppError {
  const message = `This site already has a cron job named "${name}" (or one being deleted). Choose another name.`;
  return new AppError("CONFLICT", message, { name: message });
}

export function siteBeingDeleted(): AppError {
  return new AppError("CONFLICT", "This site is being deleted; its cron jobs cannot be changed.");
}

/** A name taken by a concurrent request slips past the check: the unique index answers the same. */
export function cronJobUniqueViolation(err: unknown, name: string | undefined): AppError | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== "P2002") return null;
  return cronJobNameTaken(name ?? "");
}
