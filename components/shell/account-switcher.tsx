"use client";

import Link from "next/link";
import { useCallback, useRef, useState } from "react";
import { useDismiss } from "@/components/shell/use-dismiss";
import { cn } from "@/components/ui/cn";
import { ChevronDownIcon } from "@/components/ui/icons";
import type { AccountJson } from "@/lib/api/json";

const kindLabel: Record<AccountJson["kind"], string> = {
  PLATFORM: "Platform",
  RESELLER: "Reseller",
  AGENCY: "Agency",
  CUSTOMER: "Customer",
};

function AccountLabel({ account }: { account: AccountJson }) {
  return (
    <span className="min-w-0 text-left">
      <span className="block truncate text-sm font-medium text-zinc-900 dark:text-zinc-100">
        {account.name}
      </span>
      <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">
        {kindLabel[account.kind]} · {account.slug}
      </span>
    </span>
  );
}

/** The current account; a menu to switch only for users who belong to several. */
export function AccountSwitcher({ accounts, current }: { accounts: AccountJson[]; current: AccountJson }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);

  if (accounts.length < 2) {
    return (
      <div className="rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <AccountLabel account={current} />
      </div>
    );
  }

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Account: ${current.name}. Switch account`}
        onClick={() => setOpen((v) => !v)}
        className="flex w-full items-center justify-between gap-2 rounded-lg border border-zinc-200 px-3 py-2 transition-colors hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/60"
      >
        <AccountLabel account={current} />
        <ChevronDownIcon className="size-4 shrink-0 text-zinc-400" />
      </button>
      {open ? (
        <div
          role="menu"
          className="absolute inset-x-0 top-full z-30 mt-1 max-h-80 overflow-y-auto rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          {accounts.map((account) => (
            <Link
              key={account.id}
              role="menuitem"
              href={`/accounts/${account.slug}/sites`}
              onClick={close}
              className={cn(
                "flex rounded-md px-2.5 py-2 hover:bg-zinc-100 dark:hover:bg-zinc-800",
                account.id === current.id && "bg-zinc-50 dark:bg-zinc-800/60",
              )}
            >
              <AccountLabel account={account} />
            </Link>
          ))}
        </div>
      ) : null}
    </div>
  );
}
