"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { EditAllotmentDialog } from "@/components/accounts/edit-allotment-dialog";
import { LIMIT_LABELS } from "@/components/accounts/limit-labels";
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
import type { AllotmentUsageView } from "@/lib/services/account/get-allotment-usage";
import type { AccountTreeEntry } from "@/lib/services/account/list-descendant-accounts";
import type { PlanView } from "@/lib/services/plan/plan-view";
import type { ChildAccountKind } from "@/lib/validation/account";
import { LIMIT_KEYS } from "@/lib/validation/plan";
import { degradedCondition } from "@/lib/views";

type Entry = Jsonify<AccountTreeEntry>;

const PLACED_ACCOUNT_FIELDS = ["name", "slug", "kind", "planId", "oversellRatio", ...LIMIT_KEYS];
type Plan = Jsonify<PlanView>;

const KIND_LABELS = {
  PLATFORM: "Platform",
  RESELLER: "Reseller",
  AGENCY: "Agency",
  CUSTOMER: "Customer",
} as const;

function StatusBadge({ entry }: { entry: Entry }) {
  if (entry.terminationRequestedAt) return <Badge tone="danger">Terminating</Badge>;
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
            unit={LIMIT_LABELS[key].unit}
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
  entries,
  plans,
  childKinds,
  canManage,
  title,
  customersNeedPlan,
}: {
  account: AccountJson;
  entries: Entry[];
  plans: Plan[];
  childKinds: readonly ChildAccountKind[];
  canManage: boolean;
  title: string;
  /** Below an allotment a customer cannot be without a plan: the selects offer none. */
  customersNeedPlan: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [planFor, setPlanFor] = useState<Entry | null>(null);
  // By id: after a save, router.refresh() brings the new allotment into the dialog's defaults.
  const [allotmentForId, setAllotmentForId] = useState<string | null>(null);
  const allotmentFor = entries.find((e) => e.id === allotmentForId) ?? null;
  const [suspending, setSuspending] = useState<Entry | null>(null);
  const [unsuspending, setUnsuspending] = useState<Entry | null>(null);
  const [terminating, setTerminating] = useState<Entry | null>(null);
  const showKind = entries.some((e) => e.kind !== "CUSTOMER") || childKinds.length > 1;

  const done = (title: string) => {
    toast.show({ tone: "success", title });
    router.refresh();
    return null;
  };

  return (
    <Card>
      <CardHeader
        title={title}
        description={`${entries.length} ${entries.length === 1 ? "account" : "accounts"} below ${account.name}`}
        actions={
          canManage && childKinds.length > 0 && entries.length > 0 ? (
            <Button size="sm" onClick={() => setCreating(true)}>
              <PlusIcon className="size-4" />
              New account
            </Button>
          ) : null
        }
      />
      {entries.length === 0 ? (
        <EmptyState
          icon={<NetworkIcon className="size-6" />}
          title="No accounts yet"
          description="Create an account for a customer: Sitepod gives you a link for its owner to join."
          action={
            canManage && childKinds.length > 0 ? (
              <Button onClick={() => setCreating(true)}>
                <PlusIcon className="size-4" />
                New account
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Table label={title}>
          <thead>
            <tr>
              <Th>Name</Th>
              {showKind ? <Th>Kind</Th> : null}
              <Th>Plan</Th>
              <Th>Sites</Th>
              <Th>Status</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <TBody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid="account-row" data-slug={entry.slug}>
                <Td className="font-medium text-zinc-900 dark:text-zinc-100">
                  <div style={{ paddingLeft: `${(entry.depth - 1) * 1.25}rem` }}>
                    <Link
                      href={`/accounts/${entry.slug}`}
                      className="hover:text-brand-600 hover:underline dark:hover:text-brand-500"
                      title={`Open ${entry.name}`}
                    >
                      {entry.depth > 1 ? <span className="mr-1 text-zinc-400">└</span> : null}
                      {entry.name}
                    </Link>
                    <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">
                      {entry.slug}
                    </span>
                  </div>
                </Td>
                {showKind ? <Td>{KIND_LABELS[entry.kind]}</Td> : null}
                <Td>{entry.plan?.name ?? <span className="text-zinc-400">None</span>}</Td>
                <Td className="tabular-nums" data-testid="account-sites">
                  {entry.siteCount} / {entry.siteLimit ?? "∞"}
                </Td>
                <Td>
                  <StatusBadge entry={entry} />
                  <DegradedHint entry={entry} />
                  {entry.suspendedReason ? (
                    <span
                      className="block max-w-48 truncate text-xs text-zinc-500"
                      title={entry.suspendedReason}
                    >
                      {entry.suspendedReason}
                    </span>
                  ) : null}
                </Td>
                <Td className="text-right">
                  {canManage && !entry.terminationRequestedAt ? (
                    <div className="flex justify-end gap-1">
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
            <PlanOptions plans={plans} noPlan={!(customersNeedPlan && planFor?.kind === "CUSTOMER")} />
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
      toast.show({ tone: "success", title: `Account ${result.data.account.name} created` });
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onClose={close} title={created ? `${created.name} created` : "New account"} wide>
      {created ? (
        <div className="space-y-4">
          <CopyLink url={created.link} label={`Send this link to the owner of ${created.name}`} />
          <div className="flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="New account">
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
                      {KIND_LABELS[k]}
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
                Give an allotment (caps what this {KIND_LABELS[kind].toLowerCase()} hands out)
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
              Create account
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/**
 * The choices of a plan select: the empty value means no plan, offered only where an account may be
 * without one (not a customer below an allotment).
 */
function PlanOptions({ plans, noPlan }: { plans: Plan[]; noPlan: boolean }) {
  return (
    <>
      {noPlan ? <option value="">No plan (no limits)</option> : null}
      {plans.map((plan) => (
        <option key={plan.id} value={plan.id}>
          {plan.name}
        </option>
      ))}
    </>
  );
}
