import { Field, Input } from "@/components/ui/field";

/** A code field as authenticator apps and password managers expect it (TOTP or recovery code). */
export function CodeInput({
  id,
  label,
  error,
  autoFocus,
}: {
  id: string;
  label: string;
  error?: string;
  autoFocus?: boolean;
}) {
  return (
    <Field id={id} label={label} error={error}>
      <Input
        id={id}
        name="code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={32}
        required
        autoFocus={autoFocus}
        invalid={Boolean(error)}
        describedBy={error ? `${id}-error` : undefined}
      />
    </Field>
  );
}
