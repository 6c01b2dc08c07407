import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Account } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";

/**
 * The account with this slug if the actor reaches it (a membership on it or above), else null:
 * an unknown slug and a foreign one look the same. The Kubernetes-style API names accounts, and
 * the namespaces of their objects, by slug.
 */
export async function findReachableAccount(options: { actor: Actor; slug: string }): Promise<Account | null> {
  return prisma.account.findFirst({
    where: { AND: [{ slug: options.slug }, await reachableAccountWhere(options.actor)] },
  });
}
