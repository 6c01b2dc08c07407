import { canManageChildAccounts, canViewPlans } from "@/lib/authz/permissions";
import { accountIdsOnPath, authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { type AccountKind, Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { pickLimits } from "@/lib/quota/limits";
import {
  type ChildAccountView,
  childAccountInclude,
  toChildAccountView,
} from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizePlan } from "@/lib/services/plan/find-plan";
import { planArchived } from "@/lib/services/plan/plan-errors";
import { isBelowAllotment, planRequired } from "@/lib/services/quota/allotment-above";
import { assertAllotmentsAllow } from "@/lib/services/quota/assert-allotments";
import { lockAccounts } from "@/lib/services/quota/lock-account";
import { type ChildAccountKind, createAccountSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * Which kinds of account each kind may have below it: the platform has resellers, agencies and
 * direct customers; a reseller has agencies and customers; an agency has client customers.
 */
export const CHILD_KINDS: Record<AccountKind, readonly ChildAccountKind[]> = {
  PLATFORM: ["RESELLER", "AGENCY", "CUSTOMER"],
  RESELLER: ["AGENCY", "CUSTOMER"],
  AGENCY: ["CUSTOMER"],
  CUSTOMER: [],
};

const KIND_NAMES: Record<AccountKind, string> = {
  PLATFORM: "the platform",
  RESELLER: "a reseller",
  AGENCY: "an agency",
  CUSTOMER: "a customer",
};

export interface CreateAccountOptions {
  actor: Actor;
  parentId: string;
  /** Untrusted: parsed here with createAccountSchema. */
  input: unknown;
}

function slugTaken(slug: string): AppError {
  const message = `The short name ${slug} is already taken.`;
  return new AppError("CONFLICT", message, { slug: message });
}

/**
 * Creates an account below `parentId` (a reseller's customer, the platform's reseller or agency,
 * an agency's client), on a plan (not archived) from the catalogue of a provider above it and, for a reseller or
 * agency, with an allotment; a plan beyond an allotment above it is refused. The plan is optional
 * except for a customer below an allotment (see allotment-above.ts).
 */
export async function createAccount(options: CreateAccountOptions): Promise<ChildAccountView> {
  const { actor, parentId } = options;
  await authorizeAccount({
    actor,
    accountId: parentId,
    permission: canManageChildAccounts,
    action: "create accounts",
  });
  const input = parseInput(createAccountSchema, options.input);
  const parentPath = (await prisma.account.findUnique({ where: { id: parentId }, select: { path: true } }))
    ?.path;
  if (!parentPath) throw new AppError("NOT_FOUND", "Account not found.");
  const plan =
    input.planId === null
      ? null
      : await authorizePlan({
          actor,
          planId: input.planId,
          permission: canViewPlans,
          db: prisma,
        });
  // Only plans of the parent or a provider above it apply to the new account.
  if (plan && !accountIdsOnPath(parentPath).includes(plan.ownerAccountId)) {
    throw new AppError("NOT_FOUND", "Plan not found.", { planId: "Plan not found." });
  }

  try {
    const account = await prisma.$transaction(async (tx) => {
      await lockAccounts(tx, accountIdsOnPath(parentPath));
      const parent = await tx.account.findUnique({ where: { id: parentId } });
      if (!parent) throw new AppError("NOT_FOUND", "Account not found.");
      if (!CHILD_KINDS[parent.kind].includes(input.kind)) {
        const message = `${parent.name} is ${KIND_NAMES[parent.kind]}; it cannot have ${KIND_NAMES[input.kind].replace(/^an? /, "")} accounts below it.`;
        throw new AppError("INVALID_INPUT", message, { kind: message });
      }
      if (parent.terminationRequestedAt)
        throw new AppError("CONFLICT", `${parent.name} is being terminated.`);
      if (parent.status === "SUSPENDED") {
        throw new AppError("FORBIDDEN", `${parent.name} is suspended; it cannot create accounts.`);
      }
      if (plan) {
        // Read again under the owner's lock (it is on the parent's path): archived or deleted since.
        const now = await tx.plan.findUnique({ where: { id: plan.id }, select: { archivedAt: true } });
        if (!now) throw new AppError("NOT_FOUND", "Plan not found.", { planId: "Plan not found." });
        if (now.archivedAt) throw planArchived(plan.name);
      }
      if (await tx.account.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
        throw slugTaken(input.slug);
      }
      if (!plan && input.kind === "CUSTOMER" && (await isBelowAllotment(tx, parent.path))) {
        throw planRequired();
      }
      if (plan) {
        await assertAllotmentsAllow(tx, [{ parentPath: parent.path, from: null, to: pickLimits(plan) }]);
      }
      // The path ends with the account's own id, known only after the insert (as in the seed).
      const created = await tx.account.create({
        data: {
          slug: input.slug,
          name: input.name,
          kind: input.kind,
          parentId: parent.id,
          path: parent.path,
          planId: plan?.id ?? null,
          ...(input.allotment ? { allotment: { create: input.allotment } } : {}),
        },
        select: { id: true },
      });
      const withPath = await tx.account.update({
        where: { id: created.id },
        data: { path: `${parent.path}${created.id}/` },
        include: childAccountInclude,
      });
      await appendChange(tx, {
        kind: "Account",
        objectId: created.id,
        accountId: created.id,
        action: "CREATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: {
          slug: input.slug,
          name: input.name,
          kind: input.kind,
          parentId: parent.id,
          planId: plan?.id ?? null,
          ...(input.allotment ? { allotment: input.allotment } : {}),
        },
        summary: `Created ${input.kind.toLowerCase()} account ${input.name} (${input.slug}) below ${parent.name}${plan ? ` on plan ${plan.name}` : ""}`,
      });
      return withPath;
    });
    log.info("account created", {
      event: "account.created",
      accountId: account.id,
      parentId,
      kind: account.kind,
      userId: actor.userId,
    });
    return toChildAccountView(account, 0);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw slugTaken(input.slug);
    throw err;
  }
}
