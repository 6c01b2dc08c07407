"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { LimitFields, readLimits } from "@/components/plans/limit-fields";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { setAllotmentAction } from "@/lib/actions/account/set-allotment-action";
import type { Jsonify } from "@/lib/api/json";
import type { AccountTreeEntry } from "@/lib/services/account/list-descendant-accounts";
import { LIMIT_KEYS } from "@/lib/validation/plan";

const PLACED_FIELDS = ["oversellRatio", ...LIMIT_KEYS];

/**
 * The provider sets what a reseller or agency below it may hand out. A refusal (e.g. less than it
 * has already handed out) names what is over; it shows above the fields, since it may span several.
 */
export function EditAllotmentDialog({
  entry,
  onClose,
}: {
  entry: Jsonify<AccountTreeEntry> | null;
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
    if (!entry) return;
    const form = new FormData(event.currentTarget);
    const { id, name } = entry;
    startTransition(async () => {
      const result = await setAllotmentAction({
        accountId: id,
        ...readLimits(form),
        oversellRatio: String(form.get("oversellRatio") ?? ""),
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, PLACED_FIELDS));
        return;
      }
      toast.show({ tone: "success", title: `Allotment of ${name} saved` });
      close();
      router.refresh();
    });
  }

  return (
    <Dialog
      open={entry !== null}
      onClose={close}
      title={`Allotment of ${entry?.name ?? ""}`}
      description="What this account may hand out to the accounts below it, through their plans."
      wide
    >
      <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Edit allotment">
        <FormError message={formError} testId="allotment-form-error" />
        {/* Keyed by the account and its allotment: the defaults follow the row, and its refresh after a save. */}
        <div key={`${entry?.id ?? "none"}:${JSON.stringify(entry?.allotment ?? null)}`} className="space-y-5">
          <LimitFields prefix="edit-allotment" errors={errors} defaults={entry?.allotment ?? undefined} />
          <Field
            id="edit-allotment-oversell"
            label="Oversell ratio"
            hint="1 means no overselling."
            error={errors.oversellRatio}
          >
            <Input
              id="edit-allotment-oversell"
              name="oversellRatio"
              defaultValue={String(entry?.allotment?.oversellRatio ?? 1)}
              invalid={Boolean(errors.oversellRatio)}
              className="max-w-32"
            />
          </Field>
        </div>
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            Save allotment
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
