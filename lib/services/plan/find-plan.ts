import { canViewPlans, type Permission } from "@/lib/authz/permissions";
import { type AuthzSubject, authorizeAccount, type Db, reachableAccountWhere } from "@/lib/authz/scope";
import { AppError } from "@/lib/errors";
import type { Plan } from "@/lib/generated/prisma/client";

/**
 * A plan the caller may use: owned by an account they reach (a foreign plan id is NOT_FOUND) and
 * on which their role passes `permission` (FORBIDDEN otherwise).
 */
export async function authorizePlan(options: {
  actor: AuthzSubject;
  planId: string;
  permission?: Permission;
  action?: string;
  db: Db;
}): Promise<Plan> {
  const { db } = options;
  const plan = await db.plan.findFirst({
    where: { id: options.planId, ownerAccount: await reachableAccountWhere(options.actor, db) },
  });
  if (!plan) throw new AppError("NOT_FOUND", "Plan not found.", { planId: "Plan not found." });
  await authorizeAccount({
    actor: options.actor,
    accountId: plan.ownerAccountId,
    permission: options.permission ?? canViewPlans,
    action: options.action ?? "view plans",
    db,
  });
  return plan;
}
