/**
 * Account: cluster-scoped, named by its short name (slug), which is also the namespace of its
 * objects. Written through createAccount, assignPlan, suspendAccount / unsuspendAccount and
 * requestAccountTermination (delete), with their authorization: only an account's provider may
 * change its plan, suspend it or terminate it.
 */
import { z } from "zod";
import { canManageChildAccounts } from "@/lib/authz/permissions";
import { authorizeProvider } from "@/lib/authz/provider";
import { accountIdsOnPath, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { createAccount } from "@/lib/services/account/create-account";
import { requestAccountTermination } from "@/lib/services/account/request-account-termination";
import { suspendAccount } from "@/lib/services/account/suspend-account";
import { unsuspendAccount } from "@/lib/services/account/unsuspend-account";
import { assignPlan } from "@/lib/services/plan/assign-plan";
import {
  accountNameSchema,
  accountSlugProblem,
  accountSlugSchema,
  CHILD_ACCOUNT_KINDS,
  suspendAccountSchema,
} from "@/lib/validation/account";
import { parseConditions } from "@/lib/views";
import { conditionsStatusSchema } from "./common-schemas";
import { ageColumn, type Column, nameColumn, type ObjectRecord, type ResourceDefinition } from "./resource";

export const accountSpecSchema = z
  .object({
    displayName: accountNameSchema.optional().meta({
      description: "The account's name as people read it. Required to create an account; cannot change here.",
    }),
    kind: z
      .enum([...CHILD_ACCOUNT_KINDS, "PLATFORM"], { error: "Choose RESELLER, AGENCY or CUSTOMER." })
      .optional()
      .meta({
        description:
          "RESELLER, AGENCY or CUSTOMER (the platform's own is PLATFORM). Required; cannot change.",
      }),
    parent: accountSlugSchema.optional().meta({
      description:
        "The short name of the account above it (its provider). Required to create an account; cannot change.",
    }),
    plan: z
      .string({ error: "Name a plan." })
      .trim()
      .min(1, { error: "Name a plan." })
      .max(80)
      .nullable()
      .optional()
      .meta({
        description:
          "The name of the plan whose limits apply, from the catalogue of a provider above the account; null: no plan (no limits). Only its provider may change it.",
      }),
    suspended: z.boolean({ error: "Say true or false." }).optional().meta({
      description:
        "Suspend the account (its sites stop serving) or lift the suspension. Only its provider may.",
    }),
    suspensionReason: suspendAccountSchema.shape.reason.optional().meta({
      description: "Shown to the account's members; required to suspend.",
    }),
  })
  .meta({ description: "What the account is and the contract its provider gives it." });

export type AccountSpec = z.output<typeof accountSpecSchema>;

const accountStatusSchema = conditionsStatusSchema
  .extend({
    phase: z.enum(["ACTIVE", "SUSPENDED", "TERMINATING"]),
  })
  .meta({ description: "What Sitepod observed of the account." });

const accountInclude = {
  plan: { select: { name: true } },
  parent: { select: { slug: true } },
} as const satisfies Prisma.AccountInclude;

type AccountRow = Prisma.AccountGetPayload<{ include: typeof accountInclude }>;

function toRecord(row: AccountRow): ObjectRecord {
  return {
    id: row.id,
    accountId: row.id,
    namespace: null,
    name: row.slug,
    version: { kind: "Account", objectId: row.id },
    generation: null,
    createdAt: row.createdAt,
    deletingSince: row.terminationRequestedAt,
    spec: {
      displayName: row.name,
      kind: row.kind,
      parent: row.parent?.slug ?? null,
      plan: row.plan?.name ?? null,
      suspended: row.status === "SUSPENDED",
      ...(row.suspendedReason ? { suspensionReason: row.suspendedReason } : {}),
    },
    status: {
      phase: row.terminationRequestedAt ? "TERMINATING" : row.status,
      conditions: parseConditions(row.conditions ?? [], { accountId: row.id }),
    },
    group: null,
  };
}

async function accountRows(
  where: Prisma.AccountWhereInput,
  take?: number,
  byId = false,
): Promise<AccountRow[]> {
  return prisma.account.findMany({
    where,
    include: accountInclude,
    orderBy: byId ? { id: "asc" } : { slug: "asc" },
    ...(take === undefined ? {} : { take }),
  });
}

/** The plan named `name` among the catalogues of the providers on `path`, that the actor reaches. */
async function planIdByName(actor: Actor, path: string, name: string): Promise<string> {
  const plans = await prisma.plan.findMany({
    where: {
      name,
      ownerAccountId: { in: accountIdsOnPath(path) },
      ownerAccount: await reachableAccountWhere(actor),
    },
    select: { id: true },
  });
  if (plans.length === 1) return (plans[0] as { id: string }).id;
  const message =
    plans.length === 0
      ? `Not found: no plan named "${name}" in the catalogues above this account`
      : `Invalid value: "${name}": several providers above this account have a plan of that name`;
  throw new AppError("INVALID_INPUT", message, { planId: message });
}

const FIELDS: Record<string, string> = {
  slug: "metadata.name",
  name: "spec.displayName",
  kind: "spec.kind",
  planId: "spec.plan",
  reason: "spec.suspensionReason",
  confirmSlug: "metadata.name",
  allotment: "spec",
};

const columns: Column[] = [
  nameColumn(),
  {
    name: "Display Name",
    type: "string",
    format: "",
    description: "The account's name.",
    priority: 0,
    cell: (r) => r.spec.displayName ?? null,
  },
  {
    name: "Kind",
    type: "string",
    format: "",
    description: "What the account is.",
    priority: 0,
    cell: (r) => r.spec.kind ?? null,
  },
  {
    name: "Parent",
    type: "string",
    format: "",
    description: "Its provider.",
    priority: 0,
    cell: (r) => r.spec.parent ?? null,
  },
  {
    name: "Plan",
    type: "string",
    format: "",
    description: "Its plan.",
    priority: 0,
    cell: (r) => r.spec.plan ?? null,
  },
  {
    name: "Phase",
    type: "string",
    format: "",
    description: "ACTIVE, SUSPENDED or TERMINATING.",
    priority: 0,
    cell: (r) => r.status.phase ?? null,
  },
  ageColumn(),
];

function immutable(field: string): AppError {
  return new AppError("INVALID_INPUT", "field is immutable", { [field]: "field is immutable" });
}

export const accountResource: ResourceDefinition<AccountSpec> = {
  kind: "Account",
  plural: "accounts",
  singular: "account",
  shortNames: ["acct"],
  categories: ["sitepod"],
  namespaced: false,
  description:
    "An account (the platform, a reseller, an agency or a customer), named by its short name: the namespace of its objects.",
  specSchema: accountSpecSchema,
  statusSchema: accountStatusSchema,
  columns,
  fieldPath: (field) => FIELDS[field] ?? `spec.${field}`,
  lockTable: "Account",
  lockId: (record) => record.id,
  nameProblem: accountSlugProblem,

  async list(actor, { after, limit }) {
    const rows = await accountRows(
      { AND: [await reachableAccountWhere(actor), after ? { slug: { gt: after.name } } : {}] },
      limit,
    );
    return rows.map(toRecord);
  },
  async find(actor, _account, name) {
    const [row] = await accountRows({ AND: [{ slug: name }, await reachableAccountWhere(actor)] });
    return row ? toRecord(row) : null;
  },
  async create(actor, _account, name, spec) {
    if (!spec.parent)
      throw new AppError("INVALID_INPUT", "Required value", {
        parent: "Required value: name the account above it",
      });
    const [parent] = await accountRows({
      AND: [{ slug: spec.parent }, await reachableAccountWhere(actor)],
    });
    if (!parent) {
      throw new AppError("INVALID_INPUT", "no such account", {
        parent: `Not found: no account "${spec.parent}"`,
      });
    }
    if (spec.kind === "PLATFORM")
      throw new AppError("INVALID_INPUT", "Unsupported value", { kind: 'Unsupported value: "PLATFORM"' });
    const planId = spec.plan ? await planIdByName(actor, parent.path, spec.plan) : null;
    const view = await createAccount({
      actor,
      parentId: parent.id,
      input: { kind: spec.kind, slug: name, name: spec.displayName, planId, allotment: null },
    });
    if (spec.suspended)
      await suspendAccount({ actor, accountId: view.id, input: { reason: spec.suspensionReason } });
    return { id: view.id };
  },
  async update(actor, current, spec) {
    if (spec.displayName !== undefined && spec.displayName !== current.spec.displayName)
      throw immutable("name");
    if (spec.kind !== undefined && spec.kind !== current.spec.kind) throw immutable("kind");
    if (spec.parent !== undefined && spec.parent !== current.spec.parent) throw immutable("parent");
    if (spec.plan !== undefined && spec.plan !== current.spec.plan) {
      // The provider's authority first (as assignPlan checks it): a plan name is nobody else's business.
      await authorizeProvider({
        actor,
        accountId: current.id,
        permission: canManageChildAccounts,
        action: "change the plan of this account",
      });
      const row = await prisma.account.findUniqueOrThrow({
        where: { id: current.id },
        select: { path: true },
      });
      const parentPath = row.path.slice(0, row.path.length - current.id.length - 1);
      const planId = spec.plan === null ? null : await planIdByName(actor, parentPath, spec.plan);
      await assignPlan({ actor, accountId: current.id, input: { planId } });
    }
    if (spec.suspended !== undefined && spec.suspended !== current.spec.suspended) {
      if (spec.suspended) {
        await suspendAccount({ actor, accountId: current.id, input: { reason: spec.suspensionReason } });
      } else {
        await unsuspendAccount({ actor, accountId: current.id });
      }
    }
  },
  async remove(actor, current) {
    await requestAccountTermination({ actor, accountId: current.id, input: { confirmSlug: current.name } });
    return { gone: false };
  },
  watchTargets: (row) =>
    row.kind === "Account" ? { ids: [row.objectId], groups: [] } : { ids: [], groups: [] },
  loadByIds: async (ids) => (await accountRows({ id: { in: [...ids] } })).map(toRecord),
  loadGroups: async () => [],
  loadAll: async (afterId, limit) =>
    (await accountRows(afterId ? { id: { gt: afterId } } : {}, limit, true)).map(toRecord),
};
