import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { cn } from "@/components/ui/cn";

const control =
  "block w-full rounded-lg border bg-white px-3 text-sm text-zinc-900 shadow-sm transition-colors placeholder:text-zinc-400 focus:outline-2 focus:outline-offset-0 disabled:opacity-60 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500";

function controlClasses(invalid: boolean, className?: string): string {
  return cn(
    control,
    "h-10",
    invalid
      ? "border-red-500 focus:outline-red-500 dark:border-red-500"
      : "border-zinc-300 focus:outline-brand-500 dark:border-zinc-700",
    className,
  );
}

interface FieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}

/** Label, control, hint and the field's error, wired together for screen readers. */
export function Field({ id, label, hint, error, children }: FieldProps) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600 dark:text-red-400" data-testid={`${id}-error`}>
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-sm text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

interface ControlProps {
  invalid?: boolean;
  describedBy?: string;
}

export function Input({
  invalid = false,
  describedBy,
  className,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & ControlProps) {
  return (
    <input
      className={controlClasses(invalid, className)}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      {...rest}
    />
  );
}

export function Select({
  invalid = false,
  describedBy,
  className,
  children,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & ControlProps) {
  return (
    <select
      className={controlClasses(invalid, cn("pr-8", className))}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      {...rest}
    >
      {children}
    </select>
  );
}
