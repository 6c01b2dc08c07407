"use client";

import { type ReactNode, useEffect, useRef } from "react";

/**
 * A modal on the native <dialog> element: the browser provides the focus trap, Escape to close and
 * the inert background.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  wide = false,
}: {
  wide?: boolean;
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="dialog-title"
      className={`m-auto w-full ${wide ? "max-w-3xl" : "max-w-md"} rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100`}
    >
      {open ? (
        <div className="p-6">
          <h2 id="dialog-title" className="text-lg font-semibold">
            {title}
          </h2>
          {description ? (
            <div className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{description}</div>
          ) : null}
          <div className="mt-5">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}
