import { LIMIT_LABELS } from "@/components/accounts/limit-labels";
import { Field, Input } from "@/components/ui/field";
import { LIMIT_KEYS, type Limits } from "@/lib/validation/plan";

/** One number field per limit, named as the shared limitsSchema expects; `prefix` keeps ids unique. */
export function LimitFields({
  prefix,
  errors,
  defaults,
}: {
  prefix: string;
  errors: Record<string, string>;
  defaults?: Partial<Limits>;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {LIMIT_KEYS.map((key) => {
        const id = `${prefix}-${key}`;
        const { label, unit } = LIMIT_LABELS[key];
        return (
          <Field key={key} id={id} label={unit ? `${label} (${unit})` : label} error={errors[key]}>
            <Input
              id={id}
              name={key}
              type="number"
              inputMode="numeric"
              min={0}
              defaultValue={defaults?.[key]}
              invalid={Boolean(errors[key])}
              describedBy={errors[key] ? `${id}-error` : undefined}
            />
          </Field>
        );
      })}
    </div>
  );
}

/** The limit fields of a form, as strings: the shared schema turns them into numbers. */
export function readLimits(form: FormData): Record<string, string> {
  return Object.fromEntries(LIMIT_KEYS.map((key) => [key, String(form.get(key) ?? "")]));
}
