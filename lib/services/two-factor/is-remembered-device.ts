import { prisma } from "@/lib/db";
import { hashDeviceToken } from "@/lib/services/two-factor/remember-device";

/** Whether `token` (the browser's cookie) is an unexpired remembered device of this user. */
export async function isRememberedDevice(options: {
  userId: string;
  token: string | undefined;
  now?: Date;
}): Promise<boolean> {
  if (!options.token || options.token.length > 100) return false;
  const device = await prisma.rememberedDevice.findFirst({
    where: {
      userId: options.userId,
      tokenHash: hashDeviceToken(options.token),
      expiresAt: { gt: options.now ?? new Date() },
    },
    select: { id: true },
  });
  return device !== null;
}
