"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

/**
 * One row of the editor. `stored`: a secret saved before, whose value the server never sends back;
 * its value input stays empty unless the user types a replacement.
 */
export interface EnvVarRow {
  key: number;
  name: string;
  value: string;
  secret: boolean;
  stored: boolean;
}

type FieldErrors = Record<string, string>;

/** What the form sends for the rows: a stored secret left empty keeps its value (no `value`). */
export function envVarsInput(rows: readonly EnvVarRow[]) {
  return rows.map((row) =>
    row.secret && row.stored && row.value === ""
      ? { name: row.name.trim(), secret: true }
      : { name: row.name.trim(), secret: row.secret, value: row.value },
  );
}

/** The site's environment variables as an editable list; errors arrive as `env.<index>.<field>`. */
export function SiteEnvVarsEditor({
  rows,
  onChange,
  errors,
  disabled,
}: {
  rows: EnvVarRow[];
  onChange: (rows: EnvVarRow[]) => void;
  errors: FieldErrors;
  disabled: boolean;
}) {
  const update = (key: number, patch: Partial<EnvVarRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const nextKey = () => rows.reduce((max, row) => Math.max(max, row.key), 0) + 1;

  return (
    <fieldset className="space-y-3" disabled={disabled}>
      <legend className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
        Environment variables
      </legend>
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        PHP reads them with getenv(). Secret values are stored encrypted and never shown again; leave a stored
        secret empty to keep it, or type a new value to replace it.
      </p>
      {errors.env ? (
        <p className="text-sm text-red-600 dark:text-red-400" role="alert">
          {errors.env}
        </p>
      ) : null}
      <ul className="space-y-3">
        {rows.map((row, index) => {
          const nameError = errors[`env.${index}.name`];
          const valueError = errors[`env.${index}.value`];
          const nameId = `env-${row.key}-name`;
          const valueId = `env-${row.key}-value`;
          return (
            <li key={row.key} className="grid gap-2 sm:grid-cols-[1fr_1.5fr_auto_auto] sm:items-start">
              <div>
                <label htmlFor={nameId} className="sr-only">
                  Variable {index + 1} name
                </label>
                <Input
                  id={nameId}
                  value={row.name}
                  placeholder="API_URL"
                  autoComplete="off"
                  spellCheck={false}
                  invalid={Boolean(nameError)}
                  describedBy={nameError ? `${nameId}-error` : undefined}
                  onChange={(e) => update(row.key, { name: e.currentTarget.value.toUpperCase() })}
                />
                {nameError ? (
                  <p id={`${nameId}-error`} className="mt-1 text-sm text-red-600 dark:text-red-400">
                    {nameError}
                  </p>
                ) : null}
              </div>
              <div>
                <label htmlFor={valueId} className="sr-only">
                  Variable {index + 1} value
                </label>
                <Input
                  id={valueId}
                  type={row.secret ? "password" : "text"}
                  value={row.value}
                  placeholder={row.secret && row.stored ? "Stored secret: type to replace" : "value"}
                  autoComplete="off"
                  spellCheck={false}
                  invalid={Boolean(valueError)}
                  describedBy={valueError ? `${valueId}-error` : undefined}
                  onChange={(e) => update(row.key, { value: e.currentTarget.value })}
                />
                {valueError ? (
                  <p id={`${valueId}-error`} className="mt-1 text-sm text-red-600 dark:text-red-400">
                    {valueError}
                  </p>
                ) : null}
              </div>
              <label className="flex h-10 items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
                <input
                  type="checkbox"
                  checked={row.secret}
                  // A stored secret turned plain needs its value typed again: the panel never had it.
                  onChange={(e) => update(row.key, { secret: e.currentTarget.checked })}
                />
                Secret
              </label>
              <Button
                type="button"
                variant="ghost"
                aria-label={`Remove variable ${row.name || index + 1}`}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
              >
                Remove
              </Button>
            </li>
          );
        })}
      </ul>
      <Button
        type="button"
        variant="secondary"
        onClick={() =>
          onChange([...rows, { key: nextKey(), name: "", value: "", secret: false, stored: false }])
        }
      >
        Add variable
      </Button>
    </fieldset>
  );
}
