"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useCallback, useRef, useState } from "react";
import { useDismiss } from "@/components/shell/use-dismiss";
import { ChevronDownIcon } from "@/components/ui/icons";

function initials(name: string, email: string): string {
  const source = name.trim() || email;
  const parts = source.split(/[\s@.]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts[1]?.[0] ?? "")).toUpperCase() || "?";
}

export function UserMenu({ name, email }: { name: string; email: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        className="flex items-center gap-2 rounded-lg py-1 pr-2 pl-1 transition-colors hover:bg-zinc-100 dark:hover:bg-zinc-800"
      >
        <span
          aria-hidden="true"
          className="flex size-8 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white"
        >
          {initials(name, email)}
        </span>
        {/* Named by its content (WCAG 2.5.3: the name holds what is seen): the user, then what it is. */}
        <span className="sr-only text-sm font-medium sm:not-sr-only">{name || email}</span>
        <span className="sr-only">, user menu</span>
        <ChevronDownIcon className="size-4 text-zinc-400" />
      </button>
      {open ? (
        <div
          role="menu"
          className="absolute right-0 z-30 mt-1 w-64 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className="border-b border-zinc-100 px-3 py-2.5 dark:border-zinc-800">
            <p className="truncate text-sm font-medium">{name}</p>
            <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{email}</p>
          </div>
          <Link
            href="/profile"
            role="menuitem"
            onClick={close}
            className="mt-1 block rounded-md px-3 py-2 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            Profile
          </Link>
          <Link
            href="/profile/two-factor"
            role="menuitem"
            onClick={close}
            className="block rounded-md px-3 py-2 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            Two-factor sign-in
          </Link>
          <Link
            href="/profile/sessions"
            role="menuitem"
            onClick={close}
            className="block rounded-md px-3 py-2 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            Sessions
          </Link>
          <Link
            href="/profile/password"
            role="menuitem"
            onClick={close}
            className="block rounded-md px-3 py-2 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            Change password
          </Link>
          <button
            type="button"
            role="menuitem"
            // next-auth's signOut: its signOut event revokes this session's row on the server.
            onClick={() => void signOut({ callbackUrl: "/sign-in" })}
            className="mt-1 w-full rounded-md px-3 py-2 text-left text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
