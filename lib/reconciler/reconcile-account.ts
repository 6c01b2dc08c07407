import { accountIdsOnPath } from "@/lib/authz/scope";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ObjectRef } from "@/lib/k8s/apply";
import { type AccountManifestSpec, buildAccountObjects } from "@/lib/k8s/manifests/account";
import {
  ACCOUNT_LABEL,
  accountNamespace,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  SITE_LABEL,
} from "@/lib/k8s/manifests/labels";
import type { RenderedObject } from "@/lib/k8s/manifests/objects";
import { buildPlanObjects, effectivePlanLimits } from "@/lib/k8s/manifests/plan-quota";
import {
  buildSuspendedPageObjects,
  type SuspendedPageImage,
  suspendedPageImage,
} from "@/lib/k8s/manifests/suspended-page";
import { appendChange, appendChanges } from "@/lib/services/change-log/append-change";
import { loadRuntimeCatalog } from "@/lib/services/runtime/runtime-catalog";
import { registeredDatabaseEndpoints } from "./database-endpoints";
import { isAccountNamespace, NAMESPACE_OWNED_ELSEWHERE, namespaceOwnership } from "./namespace-owner";
import {
  checkAborted,
  deleteObject,
  ensure,
  isTerminating,
  type ReconcileContext,
  refOf,
  sharedRead,
} from "./context";
import { ACCOUNT_SLUG } from "./site-spec";
import { type ConditionInput, conditionsChanged, mergeConditions, parseConditions } from "./conditions";

export type AccountReconcileOutcome =
  | "synced" // the namespace-level objects match the account's plan and status
  | "idle" // no sites and no namespace: nothing in the cluster to keep
  | "invalid" // terminal: the slug cannot name a namespace
  | "waiting" // an object is being deleted by Kubernetes; retry shortly
  | "terminating" // termination requested: sites or the namespace are still being removed
  | "blocked" // termination requested but cannot finish (child accounts, plans used elsewhere)
  | "terminated" // namespace gone, rows deleted
  | "gone"; // no such account

export interface AccountReconcileResult {
  outcome: AccountReconcileOutcome;
  /** Sites the account still has; a terminating account needs them reconciled (deleted). */
  siteIds?: string[];
  requeueAfterMs?: number;
  /** Set when the account is gone: a parent waiting to terminate may now finish. */
  parentId?: string | null;
}

const accountForReconcileInclude = {
  plan: true,
  sites: { select: { id: true } },
} satisfies Prisma.AccountInclude;

type AccountForReconcile = Prisma.AccountGetPayload<{ include: typeof accountForReconcileInclude }>;

/**
 * Account-level objects that exist only under some conditions (a plan, a suspension): found by
 * the account's label and the absence of a site's, in the account's namespace.
 */
function observedAccountObjects(ctx: ReconcileContext, account: AccountForReconcile) {
  const namespace = accountNamespace(account.slug);
  return ctx.observed.labelled(ACCOUNT_LABEL, account.id).filter((o) => {
    const labels = o.object.metadata?.labels ?? {};
    return (
      o.kind !== "Namespace" &&
      o.object.metadata?.namespace === namespace &&
      labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE &&
      labels[SITE_LABEL] === undefined
    );
  });
}

/** Whether a reseller or agency above the account holds an allotment (see effectivePlanLimits). */
async function isBelowAllotment(ctx: ReconcileContext, account: AccountForReconcile): Promise<boolean> {
  const above = accountIdsOnPath(account.path).filter((id) => id !== account.id);
  if (above.length === 0) return false;
  return (await ctx.prisma.allotment.count({ where: { accountId: { in: above } } })) > 0;
}

/**
 * What serves a suspended account's page: SITEPOD_NGINX_IMAGE, else the newest runtime image the
 * catalog offers (any, if none is offered). Undefined when there is none at all.
 */
async function suspendedImage(ctx: ReconcileContext): Promise<SuspendedPageImage | undefined> {
  if (ctx.settings.nginxImage) return suspendedPageImage(ctx.settings.nginxImage, undefined);
  const catalog = await sharedRead(ctx, "catalog", () => loadRuntimeCatalog(ctx.prisma));
  const newest = catalog.find((e) => e.enabled) ?? catalog[0];
  return suspendedPageImage(undefined, newest?.image);
}

const NO_SUSPENDED_PAGE_IMAGE =
  "The suspended page cannot run: the runtime catalog has no image. Register one (Runtimes) or set SITEPOD_NGINX_IMAGE";

function wantedObjects(
  ctx: ReconcileContext,
  account: AccountForReconcile,
  belowAllotment: boolean,
  pageImage: SuspendedPageImage | undefined,
  databaseServers: readonly string[],
): RenderedObject[] {
  const spec: AccountManifestSpec = { accountId: account.id, accountSlug: account.slug };
  return [
    ...buildAccountObjects(spec, {
      gatewayPods: ctx.settings.gatewayPods,
      databaseHost: ctx.defaults.databaseHost,
      databaseServers,
    }),
    ...buildPlanObjects(spec, effectivePlanLimits(account.plan, { belowAllotment })),
    ...(account.status === "SUSPENDED" && pageImage
      ? buildSuspendedPageObjects(spec, { image: pageImage, gatewayPods: ctx.settings.gatewayPods })
      : []),
  ];
}

function conditions(
  ready: { status: "True" | "False"; reason: string; message: string },
  progressing: boolean,
  degraded: boolean,
): ConditionInput[] {
  return [
    { type: "Ready", ...ready },
    progressing
      ? { type: "Progressing", status: "True", reason: ready.reason, message: ready.message }
      : { type: "Progressing", status: "False", reason: "Complete", message: "" },
    degraded
      ? { type: "Degraded", status: "True", reason: ready.reason, message: ready.message }
      : { type: "Degraded", status: "False", reason: "AsExpected", message: "" },
  ];
}

/**
 * Records the account's conditions with a STATUS change-log row, only when they changed. Accounts
 * have no generation: observedGeneration stays 0.
 */
async function writeAccountStatus(
  ctx: ReconcileContext,
  account: AccountForReconcile,
  next: ConditionInput[],
): Promise<void> {
  const current = parseConditions(account.conditions);
  const merged = mergeConditions(current, next, 0, ctx.now());
  if (!conditionsChanged(current, merged)) return;
  await ctx.prisma.$transaction(async (tx) => {
    const updated = await tx.account.updateMany({ where: { id: account.id }, data: { conditions: merged } });
    if (updated.count === 0) return;
    const ready = merged.find((c) => c.type === "Ready");
    await appendChanges(tx, [
      {
        kind: "Account",
        objectId: account.id,
        accountId: account.id,
        action: "STATUS",
        data: { ready: ready?.status ?? "Unknown", reason: ready?.reason ?? "" },
      },
    ]);
  });
  ctx.log.info("account status", {
    accountId: account.id,
    conditions: merged.map((c) => `${c.type}=${c.status}`),
  });
}

/**
 * Rows go in one transaction, after the namespace: a crash between the two leaves an account
 * that is still marked for termination, and the next pass finishes it.
 */
async function deleteAccountRows(
  ctx: ReconcileContext,
  account: AccountForReconcile,
): Promise<AccountReconcileResult> {
  const ownedPlans = await ctx.prisma.plan.findMany({
    where: { ownerAccountId: account.id },
    select: { id: true, name: true, accounts: { where: { id: { not: account.id } }, select: { id: true } } },
  });
  const inUse = ownedPlans.filter((p) => p.accounts.length > 0);
  if (inUse.length > 0) {
    // A plan's owner cannot be deleted while the plan exists, and the accounts on it must keep it.
    ctx.log.error("account termination blocked: its plans are used by other accounts", {
      accountId: account.id,
      plans: inUse.map((p) => ({ id: p.id, name: p.name, accounts: p.accounts.map((a) => a.id) })),
    });
    const message = `Plans of this account are used by other accounts: ${inUse.map((p) => p.name).join(", ")}`;
    await writeAccountStatus(
      ctx,
      account,
      conditions({ status: "False", reason: "TerminationBlocked", message }, false, true),
    );
    return { outcome: "blocked", requeueAfterMs: 60_000 };
  }
  checkAborted(ctx.signal);
  const deleted = await ctx.prisma.$transaction(async (tx) => {
    // Re-checked inside the transaction: nothing is deleted for an account that is no longer
    // marked, nor while a site is left (its database would never be dropped).
    const marked = await tx.account.count({
      where: { id: account.id, terminationRequestedAt: { not: null } },
    });
    if (marked === 0 || (await tx.site.count({ where: { accountId: account.id } })) > 0) return false;
    await tx.membership.deleteMany({ where: { accountId: account.id } });
    await tx.invite.deleteMany({ where: { accountId: account.id } });
    await tx.allotment.deleteMany({ where: { accountId: account.id } });
    // Before the account: a plan's owner cannot go while the plan exists (Restrict).
    await tx.plan.deleteMany({ where: { ownerAccountId: account.id } });
    await tx.account.delete({ where: { id: account.id } });
    await appendChange(tx, {
      kind: "Account",
      objectId: account.id,
      // Under the account above it: the account's own id reaches nobody once its rows are gone, so
      // the provider's live lists and audit log would never hear of the end of the termination.
      accountId: account.parentId ?? account.id,
      action: "DELETED",
      data: { slug: account.slug, name: account.name },
      summary: `Terminated ${account.name} (${account.slug})`,
    });
    return true;
  });
  if (!deleted) return { outcome: "terminating", requeueAfterMs: 2_000 };
  ctx.log.info("account terminated", { accountId: account.id, slug: account.slug });
  return { outcome: "terminated", parentId: account.parentId };
}

/**
 * Termination: the sites first (the site reconciler deletes each, objects and database, as for a
 * deleted site), then the namespace, confirmed gone with the API server, then the rows.
 */
async function terminateAccount(
  ctx: ReconcileContext,
  account: AccountForReconcile,
): Promise<AccountReconcileResult> {
  // request-account-termination refuses accounts with live children, but a child can still be on
  // its way out, and the tree (parentId is Restrict) cannot lose a node that has children.
  const children = await ctx.prisma.account.findMany({
    where: { parentId: account.id },
    select: { id: true, terminationRequestedAt: true },
  });
  if (children.length > 0) {
    ctx.log.warn("account termination waits: child accounts remain", {
      accountId: account.id,
      children: children.length,
      terminating: children.filter((c) => c.terminationRequestedAt).length,
    });
    const n = children.length;
    const message = `${n} account${n === 1 ? "" : "s"} below this one must be terminated first`;
    await writeAccountStatus(
      ctx,
      account,
      conditions({ status: "False", reason: "TerminationBlocked", message }, false, true),
    );
    return { outcome: "blocked", requeueAfterMs: 30_000 };
  }
  if (account.sites.length > 0) {
    const n = account.sites.length;
    await writeAccountStatus(
      ctx,
      account,
      conditions(
        { status: "False", reason: "Terminating", message: `Deleting ${n} site${n === 1 ? "" : "s"}` },
        true,
        false,
      ),
    );
    return { outcome: "terminating", siteIds: account.sites.map((s) => s.id), requeueAfterMs: 5_000 };
  }
  const ref: ObjectRef = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: accountNamespace(account.slug) },
  };
  // Live, not from the cache: the rows must not go before the namespace really has.
  const live = await ctx.writer.read(ref);
  if (live && isAccountNamespace(live, account.id)) {
    await writeAccountStatus(
      ctx,
      account,
      conditions(
        { status: "False", reason: "Terminating", message: `Deleting namespace ${ref.metadata.name}` },
        true,
        false,
      ),
    );
    if (!isTerminating(live)) await deleteObject(ctx, ref);
    // The informer's delete event wakes the account; the requeue guards against a missed one.
    return { outcome: "terminating", requeueAfterMs: 2_000 };
  }
  if (live) {
    // Someone else's namespace (Sitepod never put anything of this account in it: see
    // reconcileAccount) is left as it is, and termination does not wait for it: it would wait forever.
    ctx.log.warn("namespace not deleted: it does not belong to this account", {
      accountId: account.id,
      namespace: ref.metadata.name,
    });
  }
  return deleteAccountRows(ctx, account);
}

/**
 * One level-based pass over one account: the objects its namespace holds because of the account
 * rather than of one site (quota, defaults, suspended page, isolation), or its termination.
 */
export async function reconcileAccount(
  ctx: ReconcileContext,
  accountId: string,
): Promise<AccountReconcileResult> {
  const account = await ctx.prisma.account.findUnique({
    where: { id: accountId },
    include: accountForReconcileInclude,
  });
  if (!account) return { outcome: "gone" };
  if (!ACCOUNT_SLUG.test(account.slug)) {
    ctx.log.warn("account slug cannot name a namespace", { accountId, slug: account.slug });
    const message = `Account slug "${account.slug}" cannot name a namespace`;
    await writeAccountStatus(
      ctx,
      account,
      conditions({ status: "False", reason: "InvalidSpec", message }, false, true),
    );
    return { outcome: "invalid" };
  }
  if (account.terminationRequestedAt) return terminateAccount(ctx, account);

  // Accounts without sites (the platform, resellers, new customers) get no namespace: the first
  // site creates it, and its add event brings the account here.
  const namespace = ctx.observed.get("Namespace", accountNamespace(account.slug));
  if (account.sites.length === 0 && !namespace) return { outcome: "idle" };
  if (namespace && isTerminating(namespace)) return { outcome: "waiting", requeueAfterMs: 2_000 };

  const ownership = await namespaceOwnership(ctx, account);
  if (ownership.owner === "someone-else") {
    ctx.log.warn("namespace not adopted: it does not belong to this account", {
      accountId,
      namespace: accountNamespace(account.slug),
    });
    await writeAccountStatus(
      ctx,
      account,
      conditions(
        { status: "False", reason: NAMESPACE_OWNED_ELSEWHERE, message: ownership.message },
        false,
        true,
      ),
    );
    // Nothing here changes it: an administrator acts in the cluster; the resync checks again.
    return { outcome: "blocked", requeueAfterMs: 60_000 };
  }

  const pageImage = account.status === "SUSPENDED" ? await suspendedImage(ctx) : undefined;
  // Databases helper: site pods may reach the registered database servers (as the site pass renders).
  const databaseServers = await sharedRead(ctx, "database-endpoints", () =>
    registeredDatabaseEndpoints(ctx.prisma),
  );
  const wanted = wantedObjects(
    ctx,
    account,
    await isBelowAllotment(ctx, account),
    pageImage,
    databaseServers,
  );
  let waiting = false;
  for (const obj of wanted) {
    if ((await ensure(ctx, obj)).terminating) waiting = true;
  }
  const keys = new Set(wanted.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`));
  for (const o of observedAccountObjects(ctx, account)) {
    const key = `${o.kind} ${o.object.metadata?.namespace}/${o.object.metadata?.name}`;
    if (!keys.has(key) && !isTerminating(o.object)) await deleteObject(ctx, refOf(o));
  }
  if (waiting) return { outcome: "waiting", requeueAfterMs: 2_000 };
  if (account.status === "SUSPENDED" && !pageImage) {
    ctx.log.error("suspended page not rendered: no image", { accountId, message: NO_SUSPENDED_PAGE_IMAGE });
    await writeAccountStatus(
      ctx,
      account,
      conditions(
        { status: "False", reason: "NoRuntimeImage", message: NO_SUSPENDED_PAGE_IMAGE },
        false,
        true,
      ),
    );
    // A catalog change wakes every account (the reconciler's change feed); this only backs it up.
    return { outcome: "blocked", requeueAfterMs: 60_000 };
  }
  await writeAccountStatus(
    ctx,
    account,
    account.status === "SUSPENDED"
      ? conditions(
          {
            status: "False",
            reason: "AccountSuspended",
            message: account.suspendedReason
              ? `The account is suspended: ${account.suspendedReason}`
              : "The account is suspended",
          },
          false,
          false,
        )
      : conditions(
          { status: "True", reason: "Reconciled", message: "The account's namespace objects are up to date" },
          false,
          false,
        ),
  );
  return { outcome: "synced" };
}
