import { verifyPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db";

export interface VerifiedUser {
  id: string;
  email: string;
  name: string;
}

// Verifying against a real hash for unknown emails makes "no such user" cost as much as
// "wrong password", so response times do not reveal which emails have accounts. The hash (of a
// random password nobody knows) carries the same argon2 parameters as ARGON2_OPTIONS; the unit
// test keeps them in step.
export const DUMMY_PASSWORD_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$yFivrtuPdRV/+1oUIS30BQ$L3vS/ppw04MMTdwsXAHl07CMiZTe9slLx6S97fI//uM";

/** The user for this email (case-insensitive) and password, or null. */
export async function verifyCredentials(input: {
  email: string;
  password: string;
}): Promise<VerifiedUser | null> {
  const email = input.email.trim().toLowerCase();
  const user = await prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  if (!user) {
    await verifyPassword(DUMMY_PASSWORD_HASH, input.password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) return null;
  return { id: user.id, email: user.email, name: user.name };
}
