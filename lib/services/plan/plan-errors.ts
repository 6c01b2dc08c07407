import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

export function planNameTaken(name: string): AppError {
  const message = `A plan named "${name}" already exists.`;
  return new AppError("CONFLICT", message, { name: message });
}

/** A unique-index race on (ownerAccountId, name) becomes the same CONFLICT the check gives. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/** An archived plan named for a new account or a plan change. */
export function planArchived(name: string): AppError {
  const message = `The plan ${name} is archived: it is no longer offered. Choose another plan.`;
  return new AppError("CONFLICT", message, { planId: message });
}
