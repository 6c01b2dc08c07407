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
