"use client";

import { type FormEvent, type ReactNode, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";

/**
 * Asks before an action; `typed` makes the user type a word first (for what cannot be undone).
 * `onConfirm` answers an error message to show in the dialog, or null when done.
 */
export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  confirmLabel,
  danger = false,
  typed,
  children,
  onConfirm,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  typed?: string;
  children?: ReactNode;
  onConfirm: (form: FormData) => Promise<string | null>;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirmed = typed === undefined || text.trim() === typed;

  function close() {
    setText("");
    setError(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!confirmed) return;
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const message = await onConfirm(form);
      if (message) setError(message);
      else close();
    });
  }

  return (
    <Dialog open={open} onClose={close} title={title} description={description}>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {children}
        {typed !== undefined ? (
          <Field id="confirm-typed" label={`Type ${typed} to confirm`}>
            <Input
              id="confirm-typed"
              autoComplete="off"
              spellCheck={false}
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoFocus
            />
          </Field>
        ) : null}
        <FormError message={error} testId="dialog-error" />
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant={danger ? "danger" : "primary"}
            disabled={!confirmed}
            pending={pending}
          >
            {confirmLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
