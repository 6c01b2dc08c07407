import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db";

export interface VerifiedUser {
  id: string;
  email: string;
  name: string;
}

// Verifying against a real hash for unknown emails makes "no such user" cost as much as
// "wrong password", so response times do not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword("sitepod-dummy-password-for-timing");
  return dummyHash;
}

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
    await verifyPassword(await getDummyHash(), input.password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) return null;
  return { id: user.id, email: user.email, name: user.name };
}
