"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { LIMIT_LABELS } from "@/components/accounts/limit-labels";
import { LimitFields, readLimits } from "@/components/plans/limit-fields";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { LayersIcon, PlusIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { createPlanAction } from "@/lib/actions/plan/create-plan-action";
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
  const [editing, setEditing] = useState<Plan | null>(null);
  const [creating, setCreating] = useState(false);
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
        <Table label="Plans">
          <thead>
            <tr>
              <Th>Name</Th>
              {LIMIT_KEYS.slice(0, 5).map((key) => (
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
              <tr key={plan.id} data-testid="plan-row" data-plan-name={plan.name}>
                <Td className="font-medium text-zinc-900 dark:text-zinc-100">{plan.name}</Td>
                {LIMIT_KEYS.slice(0, 5).map((key) => (
                  <Td key={key} className="tabular-nums">
                    {plan[key]}
                    {LIMIT_LABELS[key].unit ? ` ${LIMIT_LABELS[key].unit}` : ""}
                  </Td>
                ))}
                <Td className="tabular-nums">{plan.accountCount}</Td>
                <Td className="text-right">
                  {canManage ? (
                    <Button size="sm" variant="ghost" onClick={() => setEditing(plan)}>
                      Edit
                    </Button>
                  ) : null}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      <PlanDialog account={account} open={creating} onClose={() => setCreating(false)} plan={null} />
      <PlanDialog account={account} open={editing !== null} onClose={() => setEditing(null)} plan={editing} />
    </Card>
  );
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
