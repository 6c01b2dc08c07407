import { canViewAccount } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { offeredRuntimes } from "@/lib/services/runtime/runtime-catalog";

/** A PHP version as a site's owner sees it: the image behind it is the operator's business. */
export interface OfferedRuntime {
  phpVersion: string;
  label: string | null;
}

/** The PHP versions a new site of the account may use, newest first (the form's default). */
export async function listOfferedRuntimes(options: {
  actor: Actor;
  accountId: string;
}): Promise<OfferedRuntime[]> {
  await authorizeAccount({
    actor: options.actor,
    accountId: options.accountId,
    permission: canViewAccount,
    action: "view this account",
  });
  return (await offeredRuntimes(prisma)).map(({ phpVersion, label }) => ({ phpVersion, label }));
}
