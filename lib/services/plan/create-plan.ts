import { canManagePlans } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { isUniqueViolation, planNameTaken } from "@/lib/services/plan/plan-errors";
import { type PlanView, planSummaryData, toPlanView } from "@/lib/services/plan/plan-view";
import { parseInput } from "@/lib/validation/parse-input";
import { createPlanSchema } from "@/lib/validation/plan";

export interface CreatePlanOptions {
  actor: Actor;
  /** The platform, reseller or agency whose catalogue the plan joins. */
  ownerAccountId: string;
  /** Untrusted: parsed here with createPlanSchema. */
  input: unknown;
}

/** Adds a plan to an account's catalogue, with a CREATED change, in one transaction. */
export async function createPlan(options: CreatePlanOptions): Promise<PlanView> {
  const { actor, ownerAccountId } = options;
  await authorizeAccount({
    actor,
    accountId: ownerAccountId,
    permission: canManagePlans,
    action: "manage plans",
  });
  const input = parseInput(createPlanSchema, options.input);

  try {
    const plan = await prisma.$transaction(async (tx) => {
      const owner = await tx.account.findUnique({
        where: { id: ownerAccountId },
        select: { kind: true, terminationRequestedAt: true },
      });
      if (!owner) throw new AppError("NOT_FOUND", "Account not found.");
      if (owner.kind === "CUSTOMER") {
        throw new AppError("INVALID_INPUT", "Only the platform, resellers and agencies make plans.");
      }
      if (owner.terminationRequestedAt) {
        throw new AppError("CONFLICT", "This account is being terminated.");
      }
      if (
        await tx.plan.findUnique({
          where: { ownerAccountId_name: { ownerAccountId, name: input.name } },
          select: { id: true },
        })
      ) {
        throw planNameTaken(input.name);
      }
      const created = await tx.plan.create({ data: { ownerAccountId, ...input } });
      await appendChange(tx, {
        kind: "Plan",
        objectId: created.id,
        accountId: ownerAccountId,
        action: "CREATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: planSummaryData(created),
        summary: `Created plan ${created.name}`,
      });
      return created;
    });
    log.info("plan created", {
      event: "plan.created",
      planId: plan.id,
      ownerAccountId,
      userId: actor.userId,
    });
    return toPlanView(plan, 0);
  } catch (err) {
    if (isUniqueViolation(err)) throw planNameTaken(input.name);
    throw err;
  }
}
