"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { formatQuantity, LIMIT_LABELS } from "@/components/accounts/limit-labels";
import { LimitFields, readLimits } from "@/components/plans/limit-fields";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { LayersIcon, PlusIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { archivePlanAction } from "@/lib/actions/plan/archive-plan-action";
import { createPlanAction } from "@/lib/actions/plan/create-plan-action";
import { deletePlanAction } from "@/lib/actions/plan/delete-plan-action";
import { unarchivePlanAction } from "@/lib/actions/plan/unarchive-plan-action";
import { updatePlanAction } from "@/lib/actions/plan/update-plan-action";
import type { AccountJson, Jsonify } from "@/lib/api/json";
import type { PlanView } from "@/lib/services/plan/plan-view";
import { LIMIT_KEYS } from "@/lib/validation/plan";

type Plan = Jsonify<PlanView>;

export function PlansPanel({
  account,
  plans,
  canManage,
}: {
  account: AccountJson;
  plans: Plan[];
  canManage: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [editing, setEditing] = useState<Plan | null>(null);
  const [creating, setCreating] = useState(false);
  const [archiving, setArchiving] = useState<Plan | null>(null);
  const [unarchiving, setUnarchiving] = useState<Plan | null>(null);
  const [deleting, setDeleting] = useState<Plan | null>(null);

  const done = (title: string) => {
    toast.show({ tone: "success", title });
    router.refresh();
    return null;
  };

  return (
    <Card>
      <CardHeader
        title="Plans"
        description="The packages you sell: each caps what an account on it may use."
        actions={
          canManage && plans.length > 0 ? (
            <Button size="sm" onClick={() => setCreating(true)}>
              <PlusIcon className="size-4" />
              New plan
            </Button>
          ) : null
        }
      />
      {plans.length === 0 ? (
        <EmptyState
          icon={<LayersIcon className="size-6" />}
          title="No plans yet"
          description="Create a plan with limits for sites, domains, storage and more, then put customers on it."
          action={
            canManage ? (
              <Button onClick={() => setCreating(true)}>
                <PlusIcon className="size-4" />
                New plan
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Table label="Plans" stack>
          <thead>
            <tr>
              <Th>Name</Th>
              {LIMIT_KEYS.map((key) => (
                <Th key={key}>{LIMIT_LABELS[key].label}</Th>
              ))}
              <Th>Accounts</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <TBody>
            {plans.map((plan) => (
              <tr
                key={plan.id}
                data-testid="plan-row"
                data-plan-name={plan.name}
                data-archived={plan.archivedAt ? "true" : undefined}
              >
                <Td cell="primary" className="font-medium text-zinc-900 dark:text-zinc-100">
                  <span className="inline-flex flex-wrap items-center gap-2">
                    {plan.name}
                    {plan.archivedAt ? (
                      <Badge tone="neutral" data-testid="plan-archived">
                        Archived
                      </Badge>
                    ) : null}
                  </span>
                </Td>
                {LIMIT_KEYS.map((key) => (
                  <Td key={key} label={LIMIT_LABELS[key].label} className="whitespace-nowrap tabular-nums">
                    {formatQuantity(key, plan[key])}
                  </Td>
                ))}
                <Td label="Accounts" className="tabular-nums">
                  {plan.accountCount}
                </Td>
                <Td cell="actions" wrap className="text-right">
                  {canManage ? (
                    <div className="flex flex-wrap justify-end gap-1 max-sm:justify-start">
                      <Button size="sm" variant="ghost" onClick={() => setEditing(plan)}>
                        Edit
                      </Button>
                      {plan.archivedAt ? (
                        <Button size="sm" variant="ghost" onClick={() => setUnarchiving(plan)}>
                          Unarchive
                        </Button>
                      ) : (
                        <Button size="sm" variant="ghost" onClick={() => setArchiving(plan)}>
                          Archive
                        </Button>
                      )}
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-red-600 dark:text-red-400"
                        onClick={() => setDeleting(plan)}
                      >
                        Delete
                      </Button>
                    </div>
                  ) : null}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      <PlanDialog account={account} open={creating} onClose={() => setCreating(false)} plan={null} />
      <PlanDialog account={account} open={editing !== null} onClose={() => setEditing(null)} plan={editing} />
      <ConfirmDialog
        open={archiving !== null}
        onClose={() => setArchiving(null)}
        title={`Archive ${archiving?.name ?? ""}?`}
        description={archiveDescription(archiving)}
        confirmLabel="Archive plan"
        onConfirm={async () => {
          if (!archiving) return null;
          const result = await archivePlanAction({ planId: archiving.id });
          if (!result.ok) return result.message;
          return done(`Plan ${archiving.name} archived`);
        }}
      />
      <ConfirmDialog
        open={unarchiving !== null}
        onClose={() => setUnarchiving(null)}
        title={`Unarchive ${unarchiving?.name ?? ""}?`}
        description="It is offered again for new customers and plan changes."
        confirmLabel="Unarchive plan"
        onConfirm={async () => {
          if (!unarchiving) return null;
          const result = await unarchivePlanAction({ planId: unarchiving.id });
          if (!result.ok) return result.message;
          return done(`Plan ${unarchiving.name} is offered again`);
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? ""}?`}
        description={deleteDescription(deleting)}
        confirmLabel="Delete plan"
        danger
        onConfirm={async () => {
          if (!deleting) return null;
          const result = await deletePlanAction({ planId: deleting.id });
          if (!result.ok) return result.message;
          return done(`Plan ${deleting.name} deleted`);
        }}
      />
    </Card>
  );
}

function countAccounts(count: number): string {
  return count === 1 ? "1 account" : `${count} accounts`;
}

function archiveDescription(plan: Plan | null): string {
  const offered = "it is no longer offered for new customers or plan changes. You can unarchive it later.";
  const count = plan?.accountCount ?? 0;
  if (count === 0) return `No account is on it; ${offered}`;
  return `The ${countAccounts(count)} on it keep it and its limits, but ${offered}`;
}

function deleteDescription(plan: Plan | null): string {
  const count = plan?.accountCount ?? 0;
  if (count === 0) return "The plan is removed from your catalogue for good.";
  return `${countAccounts(count)} ${count === 1 ? "is" : "are"} on this plan: a plan can be deleted only once no account uses it. Move ${count === 1 ? "it" : "them"} to another plan first, or archive the plan to stop offering it.`;
}

function PlanDialog({
  account,
  plan,
  open,
  onClose,
}: {
  account: AccountJson;
  plan: Plan | null;
  open: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function close() {
    setErrors({});
    setFormError(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = { name: String(form.get("name") ?? ""), ...readLimits(form) };
    startTransition(async () => {
      const result = plan
        ? await updatePlanAction({ planId: plan.id, ...fields })
        : await createPlanAction({ ownerAccountId: account.id, ...fields });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, ["name", ...LIMIT_KEYS]));
        return;
      }
      toast.show({
        tone: "success",
        title: plan ? `Plan ${result.data.name} saved` : `Plan ${result.data.name} created`,
      });
      close();
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onClose={close} title={plan ? `Edit ${plan.name}` : "New plan"} wide>
      <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label={plan ? "Edit plan" : "New plan"}>
        <FormError message={formError} testId="plan-form-error" />
        <Field id="plan-name" label="Plan name" error={errors.name}>
          <Input
            id="plan-name"
            name="name"
            defaultValue={plan?.name}
            autoComplete="off"
            invalid={Boolean(errors.name)}
          />
        </Field>
        <LimitFields prefix="plan" errors={errors} defaults={plan ?? undefined} />
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            {plan ? "Save plan" : "Create plan"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
