"use client";

import { usePathname } from "next/navigation";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { cn } from "@/components/ui/cn";

type ToastTone = "success" | "error" | "info";

interface ToastInput {
  tone: ToastTone;
  title: string;
  description?: string;
  /**
   * The toast reports what a change of page is about to show (a site created, then its page): it
   * stays for that one navigation. Others go with the page they were shown on.
   */
  acrossNavigation?: boolean;
}

interface Toast extends Omit<ToastInput, "acrossNavigation"> {
  id: number;
  /** How many more changes of page it stays for. */
  navigationsLeft: number;
}

interface ToastApi {
  show(toast: ToastInput): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast must be used inside <ToastProvider>");
  return api;
}

const TOAST_MS = 5_000;
/** Older toasts give way: a burst of changes never piles up over the page. */
export const MAX_TOASTS = 3;
let nextId = 1;

const toneClasses: Record<ToastTone, string> = {
  success: "border-emerald-500/30 before:bg-emerald-500",
  error: "border-red-500/30 before:bg-red-500",
  info: "border-sky-500/30 before:bg-sky-500",
};

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast.id, onDismiss]);

  return (
    <div
      data-testid="toast"
      data-tone={toast.tone}
      className={cn(
        "pointer-events-auto relative flex w-full animate-toast-in max-sm:not-last:hidden items-start gap-3 overflow-hidden rounded-lg border bg-white py-3 pr-3 pl-4 shadow-lg before:absolute before:inset-y-0 before:left-0 before:w-1 dark:bg-zinc-900",
        toneClasses[toast.tone],
      )}
    >
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{toast.title}</p>
        {toast.description ? (
          <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{toast.description}</p>
        ) : null}
      </div>
      <button
        type="button"
        onClick={() => onDismiss(toast.id)}
        className="rounded p-0.5 text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200"
        aria-label="Dismiss notification"
      >
        <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden="true">
          <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
        </svg>
      </button>
    </div>
  );
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      show: ({ acrossNavigation = false, ...toast }) =>
        setToasts((all) => [
          ...all.slice(-(MAX_TOASTS - 1)),
          { ...toast, id: nextId++, navigationsLeft: acrossNavigation ? 1 : 0 },
        ]),
    }),
    [],
  );

  // A new page dismisses the toasts of the previous one.
  const pathname = usePathname();
  const shownPath = useRef(pathname);
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    setToasts((all) =>
      all.filter((t) => t.navigationsLeft > 0).map((t) => ({ ...t, navigationsLeft: t.navigationsLeft - 1 })),
    );
  }, [pathname]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      {/* One polite live region, always present so that screen readers announce what is added to it.
          Full width at the bottom of a small screen (the shell leaves room there), a column at the
          bottom right of a large one. */}
      <section
        aria-label="Notifications"
        aria-live="polite"
        aria-relevant="additions text"
        className="pointer-events-none fixed inset-x-3 bottom-3 z-50 flex flex-col items-stretch gap-2 sm:inset-x-auto sm:right-4 sm:bottom-4 sm:w-80"
      >
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </section>
    </ToastContext.Provider>
  );
}
