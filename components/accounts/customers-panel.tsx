"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState, useTransition } from "react";
import { AccountPagination, AccountSearch } from "@/components/accounts/account-list-controls";
import { AccountUsageSummary } from "@/components/accounts/account-usage-summary";
import { BulkSuspension } from "@/components/accounts/bulk-suspension";
import { EditAllotmentDialog } from "@/components/accounts/edit-allotment-dialog";
import { formatQuantity, LIMIT_LABELS } from "@/components/accounts/limit-labels";
import { LimitFields, readLimits } from "@/components/plans/limit-fields";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyLink, inviteUrl } from "@/components/ui/copy-link";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { NetworkIcon, PlusIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { UsageBar } from "@/components/ui/usage-bar";
import { assignPlanAction } from "@/lib/actions/account/assign-plan-action";
import { createAccountAction } from "@/lib/actions/account/create-account-action";
import { suspendAccountAction } from "@/lib/actions/account/suspend-account-action";
import { terminateAccountAction } from "@/lib/actions/account/terminate-account-action";
import { unsuspendAccountAction } from "@/lib/actions/account/unsuspend-account-action";
import type { AccountJson, Jsonify } from "@/lib/api/json";
import { ACCOUNT_KIND_LABELS, BELOW_NAMES, sectionHref } from "@/lib/glossary";
import type { AllotmentUsageView } from "@/lib/services/account/get-allotment-usage";
import type { AccountOverviewEntry, AccountOverviewPage } from "@/lib/services/account/list-account-overview";
import type { PlanView } from "@/lib/services/plan/plan-view";
import type { ChildAccountKind } from "@/lib/validation/account";
import { LIMIT_KEYS } from "@/lib/validation/plan";
import { degradedCondition } from "@/lib/views";

type Entry = Jsonify<AccountOverviewEntry>;

const PLACED_ACCOUNT_FIELDS = ["name", "slug", "kind", "planId", "oversellRatio", ...LIMIT_KEYS];
type Plan = Jsonify<PlanView>;

function StatusBadge({ entry }: { entry: Entry }) {
  if (entry.terminationRequestedAt) {
    return (
      <Badge tone="danger" data-testid="account-status">
        Terminating
      </Badge>
    );
  }
  if (entry.status === "SUSPENDED") {
    return (
      <Badge tone="warning" data-testid="account-status">
        Suspended
      </Badge>
    );
  }
  return (
    <Badge tone="success" data-testid="account-status">
      Active
    </Badge>
  );
}

/** What the account reconciler could not do for this account (its Degraded condition), if anything. */
function DegradedHint({ entry }: { entry: Entry }) {
  const degraded = degradedCondition(entry.conditions);
  if (!degraded) return null;
  return (
    <span
      data-testid="account-degraded"
      className="mt-1 block max-w-56 text-xs text-red-700 dark:text-red-400"
      title={degraded.message || degraded.reason}
    >
      {degraded.message || degraded.reason}
    </span>
  );
}

/** "Select all on this page": checked when all are, mixed when some are. */
function SelectAll({
  count,
  total,
  onChange,
}: {
  count: number;
  total: number;
  onChange: (on: boolean) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && count < total;
  }, [count, total]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className="size-4 accent-brand-600"
      aria-label="Select all on this page"
      checked={total > 0 && count === total}
      disabled={total === 0}
      onChange={(e) => onChange(e.target.checked)}
      data-testid="select-all"
    />
  );
}

export function AllotmentCard({ usage }: { usage: Jsonify<AllotmentUsageView> }) {
  const capacity = usage.capacity;
  if (!capacity || !usage.allotment) return null;
  return (
    <Card className="mb-6">
      <CardHeader
        title="Allotment"
        description={`What your plans below hand out, against what your provider allots you${usage.allotment.oversellRatio > 1 ? ` (oversold ×${usage.allotment.oversellRatio})` : ""}.`}
      />
      <CardBody className="grid gap-5 sm:grid-cols-2 lg:grid-cols-4">
        {LIMIT_KEYS.map((key) => (
          <UsageBar
            key={key}
            label={LIMIT_LABELS[key].label}
            format={(amount) => formatQuantity(key, amount)}
            used={usage.handedOut[key]}
            limit={capacity[key]}
          />
        ))}
      </CardBody>
    </Card>
  );
}

export function CustomersPanel({
  account,
  overview,
  plans,
  childKinds,
  canManage,
  title,
  customersNeedPlan,
}: {
  account: AccountJson;
  /** One page of the accounts below, searched and paginated by the server. */
  overview: Jsonify<AccountOverviewPage>;
  /** The plans offered (archived ones are not). */
  plans: Plan[];
  childKinds: readonly ChildAccountKind[];
  canManage: boolean;
  title: string;
  /** Below an allotment a customer cannot be without a plan: the selects offer none. */
  customersNeedPlan: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const entries = overview.entries;
  const [creating, setCreating] = useState(false);
  const [planFor, setPlanFor] = useState<Entry | null>(null);
  // By id: after a save, router.refresh() brings the new allotment into the dialog's defaults.
  const [allotmentForId, setAllotmentForId] = useState<string | null>(null);
  const allotmentFor = entries.find((e) => e.id === allotmentForId) ?? null;
  const [suspending, setSuspending] = useState<Entry | null>(null);
  const [unsuspending, setUnsuspending] = useState<Entry | null>(null);
  const [terminating, setTerminating] = useState<Entry | null>(null);
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  // Only what this page shows can be selected: a refresh or another page drops the rest.
  const selectable = entries.filter((e) => !e.terminationRequestedAt);
  const selected = selectable.filter((e) => selectedIds.has(e.id));
  const showKind = entries.some((e) => e.kind !== "CUSTOMER") || childKinds.length > 1;
  const below = BELOW_NAMES[account.kind];
  const newLabel = `New ${below.singular}`;
  const listPath = sectionHref(account.slug, "accountsBelow");
  const searching = overview.q !== null;

  const done = (title: string) => {
    toast.show({ tone: "success", title });
    router.refresh();
    return null;
  };

  function toggle(id: string, on: boolean) {
    setSelectedIds((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  return (
    <Card>
      <CardHeader
        title={title}
        description={
          searching
            ? `${overview.total} ${overview.total === 1 ? below.singular : below.plural.toLowerCase()} matching “${overview.q}”`
            : `${overview.total} ${overview.total === 1 ? below.singular : below.plural.toLowerCase()} of ${account.name}`
        }
        actions={
          canManage && childKinds.length > 0 && (entries.length > 0 || searching) ? (
            <Button size="sm" onClick={() => setCreating(true)}>
              <PlusIcon className="size-4" />
              {newLabel}
            </Button>
          ) : null
        }
      />
      {entries.length > 0 || searching ? (
        <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
          <AccountSearch
            action={listPath}
            q={overview.q}
            label={`Search ${below.plural.toLowerCase()}`}
            placeholder="Name, short name or owner's email"
          />
        </div>
      ) : null}
      {canManage ? (
        <BulkSuspension
          parentId={account.id}
          selected={selected}
          singular={below.singular}
          plural={below.plural.toLowerCase()}
          onDone={(keep) => setSelectedIds(new Set(keep))}
          onClear={() => setSelectedIds(new Set())}
        />
      ) : null}
      {entries.length === 0 ? (
        searching ? (
          <EmptyState
            icon={<NetworkIcon className="size-6" />}
            title={`No matching ${below.plural.toLowerCase()}`}
            description={`No ${below.singular} has “${overview.q}” in its name, short name or owner's email.`}
          />
        ) : (
          <EmptyState
            icon={<NetworkIcon className="size-6" />}
            title={`No ${below.plural.toLowerCase()} yet`}
            description="Create an account: Sitepod gives you a link for its owner to join."
            action={
              canManage && childKinds.length > 0 ? (
                <Button onClick={() => setCreating(true)}>
                  <PlusIcon className="size-4" />
                  {newLabel}
                </Button>
              ) : undefined
            }
          />
        )
      ) : (
        <Table label={title} stack>
          <thead>
            <tr>
              {canManage ? (
                <Th className="w-10">
                  <SelectAll
                    count={selected.length}
                    total={selectable.length}
                    onChange={(on) => setSelectedIds(new Set(on ? selectable.map((e) => e.id) : []))}
                  />
                </Th>
              ) : null}
              <Th>Name</Th>
              {showKind ? <Th>Kind</Th> : null}
              <Th>Plan</Th>
              <Th>Sites</Th>
              <Th>Usage</Th>
              <Th>Status</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <TBody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="account-row" data-slug={entry.slug}>
                {canManage ? (
                  <Td label="Select">
                    {entry.terminationRequestedAt ? null : (
                      <input
                        type="checkbox"
                        className="size-4 accent-brand-600"
                        aria-label={`Select ${entry.name}`}
                        checked={selectedIds.has(entry.id)}
                        onChange={(e) => toggle(entry.id, e.target.checked)}
                        data-testid="select-account"
                      />
                    )}
                  </Td>
                ) : null}
                <Td cell="primary" className="font-medium text-zinc-900 dark:text-zinc-100">
                  <div style={{ paddingLeft: searching ? undefined : `${(entry.depth - 1) * 1.25}rem` }}>
                    <Link
                      href={`/accounts/${entry.slug}`}
                      className="hover:text-brand-600 hover:underline dark:hover:text-brand-500"
                      title={`Open ${entry.name}`}
                    >
                      {entry.depth > 1 && !searching ? (
                        <span aria-hidden="true" className="mr-1 text-zinc-500 dark:text-zinc-400">
                          └
                        </span>
                      ) : null}
                      {entry.name}
                    </Link>
                    <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">
                      {entry.slug}
                      {searching && entry.depth > 1 && entry.parentName ? ` · below ${entry.parentName}` : ""}
                    </span>
                    <span
                      className="block max-w-56 truncate text-xs font-normal text-zinc-500 dark:text-zinc-400"
                      data-testid="account-owner"
                      title={entry.ownerEmail ?? undefined}
                    >
                      {entry.ownerEmail ?? "Owner not joined yet"}
                    </span>
                  </div>
                </Td>
                {showKind ? <Td label="Kind">{ACCOUNT_KIND_LABELS[entry.kind]}</Td> : null}
                <Td label="Plan">
                  {entry.plan?.name ?? <span className="text-zinc-500 dark:text-zinc-400">None</span>}
                </Td>
                <Td label="Sites" className="tabular-nums" data-testid="account-sites">
                  {entry.siteCount} / {entry.siteLimit ?? "∞"}
                </Td>
                <Td label="Usage">
                  <AccountUsageSummary usage={entry.usage} limits={entry.limits} />
                </Td>
                <Td label="Status">
                  <StatusBadge entry={entry} />
                  <DegradedHint entry={entry} />
                  {entry.suspendedReason ? (
                    <span
                      className="block max-w-48 truncate text-xs text-zinc-600 dark:text-zinc-400"
                      title={entry.suspendedReason}
                    >
                      {entry.suspendedReason}
                    </span>
                  ) : null}
                </Td>
                <Td cell="actions" wrap className="text-right">
                  {canManage && !entry.terminationRequestedAt ? (
                    <div className="flex flex-wrap justify-end gap-1 max-sm:justify-start">
                      <Button size="sm" variant="ghost" onClick={() => setPlanFor(entry)}>
                        Plan
                      </Button>
                      {entry.kind === "RESELLER" || entry.kind === "AGENCY" ? (
                        <Button size="sm" variant="ghost" onClick={() => setAllotmentForId(entry.id)}>
                          Edit allotment
                        </Button>
                      ) : null}
                      {entry.status === "SUSPENDED" ? (
                        <Button size="sm" variant="ghost" onClick={() => setUnsuspending(entry)}>
                          Unsuspend
                        </Button>
                      ) : (
                        <Button size="sm" variant="ghost" onClick={() => setSuspending(entry)}>
                          Suspend
                        </Button>
                      )}
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-red-600 dark:text-red-400"
                        onClick={() => setTerminating(entry)}
                      >
                        Terminate
                      </Button>
                    </div>
                  ) : null}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      <AccountPagination
        action={listPath}
        q={overview.q}
        page={overview.page}
        pageCount={overview.pageCount}
      />
      <EditAllotmentDialog entry={allotmentFor} onClose={() => setAllotmentForId(null)} />
      <CreateAccountDialog
        account={account}
        plans={plans}
        kinds={childKinds}
        open={creating}
        onClose={() => setCreating(false)}
        customersNeedPlan={customersNeedPlan}
      />
      <ConfirmDialog
        open={planFor !== null}
        onClose={() => setPlanFor(null)}
        title={`Change the plan of ${planFor?.name ?? ""}`}
        description="A smaller plan is refused while the account uses more than it allows."
        confirmLabel="Change plan"
        onConfirm={async (form) => {
          if (!planFor) return null;
          const planId = String(form.get("planId") ?? "");
          const result = await assignPlanAction({
            accountId: planFor.id,
            planId: planId === "" ? null : planId,
          });
          if (!result.ok) return result.fieldErrors?.planId ?? result.message;
          return done(`${planFor.name} is on ${result.data.plan?.name ?? "no plan"}`);
        }}
      >
        <Field id="assign-plan" label="Plan">
          <Select id="assign-plan" name="planId" defaultValue={planFor?.plan?.id ?? ""}>
            <PlanOptions
              plans={plans}
              current={planFor?.plan ?? null}
              noPlan={!(customersNeedPlan && planFor?.kind === "CUSTOMER")}
            />
          </Select>
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={suspending !== null}
        onClose={() => setSuspending(null)}
        title={`Suspend ${suspending?.name ?? ""}?`}
        description="Its sites go offline and show a notice; its members are told the reason."
        confirmLabel="Suspend"
        danger
        onConfirm={async (form) => {
          if (!suspending) return null;
          const result = await suspendAccountAction({
            accountId: suspending.id,
            reason: String(form.get("reason") ?? ""),
          });
          if (!result.ok) return result.fieldErrors?.reason ?? result.message;
          return done(`${suspending.name} suspended`);
        }}
      >
        <Field id="suspend-reason" label="Reason">
          <Input id="suspend-reason" name="reason" autoComplete="off" placeholder="Unpaid invoice" />
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={unsuspending !== null}
        onClose={() => setUnsuspending(null)}
        title={`Unsuspend ${unsuspending?.name ?? ""}?`}
        description="Its sites start again."
        confirmLabel="Unsuspend"
        onConfirm={async () => {
          if (!unsuspending) return null;
          const result = await unsuspendAccountAction({ accountId: unsuspending.id });
          if (!result.ok) return result.message;
          return done(`${unsuspending.name} unsuspended`);
        }}
      />
      <ConfirmDialog
        open={terminating !== null}
        onClose={() => setTerminating(null)}
        title={`Terminate ${terminating?.name ?? ""}?`}
        description="This deletes the account, its sites, files, databases and members for good. It cannot be undone."
        confirmLabel="Terminate account"
        danger
        typed={terminating?.slug ?? ""}
        onConfirm={async () => {
          if (!terminating) return null;
          const result = await terminateAccountAction({
            accountId: terminating.id,
            confirmSlug: terminating.slug,
          });
          if (!result.ok) return result.message;
          return done(`${terminating.name} is being terminated`);
        }}
      />
    </Card>
  );
}

function CreateAccountDialog({
  account,
  plans,
  kinds,
  open,
  onClose,
  customersNeedPlan,
}: {
  account: AccountJson;
  plans: Plan[];
  kinds: readonly ChildAccountKind[];
  open: boolean;
  onClose: () => void;
  customersNeedPlan: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [kind, setKind] = useState<ChildAccountKind>(
    kinds.includes("CUSTOMER") ? "CUSTOMER" : (kinds[0] ?? "CUSTOMER"),
  );
  const [withAllotment, setWithAllotment] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; link: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const singular = BELOW_NAMES[account.kind].singular;
  const capitalized = `${singular.charAt(0).toUpperCase()}${singular.slice(1)}`;

  function close() {
    setErrors({});
    setFormError(null);
    setCreated(null);
    setWithAllotment(false);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const allotment =
      kind !== "CUSTOMER" && withAllotment
        ? { ...readLimits(form), oversellRatio: String(form.get("oversellRatio") ?? "") }
        : null;
    startTransition(async () => {
      const result = await createAccountAction({
        parentId: account.id,
        kind,
        name: String(form.get("name") ?? ""),
        slug: String(form.get("slug") ?? ""),
        planId: String(form.get("planId") ?? ""),
        allotment,
      });
      if (!result.ok) {
        // Allotment fields arrive as "allotment.maxSites"; the limit fields are named by their key.
        const fieldErrors = Object.fromEntries(
          Object.entries(result.fieldErrors ?? {}).map(([key, value]) => [
            key.replace(/^allotment\./, ""),
            value,
          ]),
        );
        setErrors(fieldErrors);
        setFormError(unplacedError({ ...result, fieldErrors }, PLACED_ACCOUNT_FIELDS));
        return;
      }
      setErrors({});
      setFormError(null);
      setCreated({ name: result.data.account.name, link: inviteUrl(result.data.ownerInviteToken) });
      toast.show({ tone: "success", title: `${capitalized} ${result.data.account.name} created` });
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onClose={close} title={created ? `${created.name} created` : `New ${singular}`} wide>
      {created ? (
        <div className="space-y-4">
          <CopyLink url={created.link} label={`Send this link to the owner of ${created.name}`} />
          <div className="flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label={`New ${singular}`}>
          <FormError message={formError} testId="account-form-error" />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="account-name" label="Name" error={errors.name}>
              <Input id="account-name" name="name" autoComplete="off" invalid={Boolean(errors.name)} />
            </Field>
            <Field
              id="account-slug"
              label="Short name"
              hint="Lower-case, e.g. acme-corp."
              error={errors.slug}
            >
              <Input
                id="account-slug"
                name="slug"
                autoComplete="off"
                spellCheck={false}
                invalid={Boolean(errors.slug)}
              />
            </Field>
            {kinds.length > 1 ? (
              <Field id="account-kind" label="Kind" error={errors.kind}>
                <Select
                  id="account-kind"
                  value={kind}
                  onChange={(e) => setKind(e.target.value as ChildAccountKind)}
                >
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {ACCOUNT_KIND_LABELS[k]}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            <Field id="account-plan" label="Plan" error={errors.planId}>
              <Select
                id="account-plan"
                name="planId"
                defaultValue={plans[0]?.id ?? ""}
                invalid={Boolean(errors.planId)}
              >
                <PlanOptions plans={plans} noPlan={!(customersNeedPlan && kind === "CUSTOMER")} />
              </Select>
            </Field>
          </div>
          {kind !== "CUSTOMER" ? (
            <div className="space-y-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
              <label className="flex items-center gap-2 text-sm font-medium">
                <input
                  type="checkbox"
                  checked={withAllotment}
                  onChange={(e) => setWithAllotment(e.target.checked)}
                />
                Give an allotment (caps what this {ACCOUNT_KIND_LABELS[kind].toLowerCase()} hands out)
              </label>
              {withAllotment ? (
                <>
                  <LimitFields prefix="allotment" errors={errors} />
                  <Field
                    id="allotment-oversell"
                    label="Oversell ratio"
                    hint="1 means no overselling."
                    error={errors.oversellRatio}
                  >
                    <Input
                      id="allotment-oversell"
                      name="oversellRatio"
                      defaultValue="1"
                      className="max-w-32"
                    />
                  </Field>
                </>
              ) : null}
            </div>
          ) : null}
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              Create {singular}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/**
 * The choices of a plan select: the plans offered, and the empty value (no plan) only where an
 * account may be without one (not a customer below an allotment). An account's current plan that is
 * not offered (archived, or a provider's above) stays its choice, so that opening the dialog never
 * moves it by itself.
 */
function PlanOptions({
  plans,
  noPlan,
  current = null,
}: {
  plans: Plan[];
  noPlan: boolean;
  current?: { id: string; name: string } | null;
}) {
  const currentNotOffered = current !== null && !plans.some((plan) => plan.id === current.id);
  return (
    <>
      {noPlan ? <option value="">No plan (no limits)</option> : null}
      {currentNotOffered ? (
        <option value={current.id}>{current.name} (current, no longer offered)</option>
      ) : null}
      {plans.map((plan) => (
        <option key={plan.id} value={plan.id}>
          {plan.name}
        </option>
      ))}
    </>
  );
}
