"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { accountHome } from "@/components/shell/account-trail";
import { useDismiss } from "@/components/shell/use-dismiss";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/field";
import { ChevronDownIcon } from "@/components/ui/icons";
import type { AccountJson, Jsonify } from "@/lib/api/json";
import { ACCOUNT_KIND_LABELS } from "@/lib/glossary";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import type { MyAccountsPage } from "@/lib/services/account/list-my-accounts";
import { ACCOUNT_SEARCH_MAX_LENGTH } from "@/lib/validation/account";

/** How many matches the switcher shows; more asks the user to type more of the name. */
const SEARCH_LIMIT = 20;
/** Typing pauses this long before the search runs: one request per word, not per key. */
const SEARCH_DELAY_MS = 200;

function AccountLabel({ account }: { account: AccountJson }) {
  return (
    <span className="min-w-0 text-left">
      <span className="block truncate text-sm font-medium text-zinc-900 dark:text-zinc-100">
        {account.name}
      </span>
      <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">
        {ACCOUNT_KIND_LABELS[account.kind]} · {account.slug}
      </span>
    </span>
  );
}

function useDebounced(value: string, delayMs: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** Every reachable account whose name or slug holds `q`, searched by the server (there may be thousands). */
function useAccountSearch(q: string) {
  return useQuery({
    queryKey: queryKeys.accounts.search(q),
    queryFn: () =>
      apiFetch<Jsonify<MyAccountsPage>>(
        `/api/v1/accounts?${new URLSearchParams({ q, limit: String(SEARCH_LIMIT) })}`,
      ),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/**
 * The current account; a menu to switch for users who reach several. It lists the accounts the
 * user belongs to (with the current one and those above it); any other account they reach (an
 * operator reaches thousands) is found by typing part of its name or slug.
 */
export function AccountSwitcher({
  accounts,
  current,
  reachesMore = false,
}: {
  accounts: AccountJson[];
  current: AccountJson;
  /** The user reaches accounts not in `accounts`: the menu offers a search. */
  reachesMore?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => {
    setOpen(false);
    setQuery("");
  }, []);
  useDismiss(ref, open, close);
  const q = useDebounced(query.trim(), SEARCH_DELAY_MS);
  const search = useAccountSearch(open ? q : "");

  if (accounts.length < 2 && !reachesMore) {
    return (
      <div className="rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <AccountLabel account={current} />
      </div>
    );
  }

  const searching = q.length > 0;
  const shown = searching ? (search.data?.accounts ?? []) : accounts;
  let note: string | null = null;
  if (searching) {
    if (search.isError) note = "The search failed. Try again.";
    else if (!search.data) note = "Searching…";
    else if (shown.length === 0) note = "No account matches.";
    else if (search.data.nextCursor) note = "More accounts match: type more of the name.";
  }

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => (open ? close() : setOpen(true))}
        className="flex w-full items-center justify-between gap-2 rounded-lg border border-zinc-200 px-3 py-2 transition-colors hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/60"
      >
        {/* Named by its content, so that the name holds all it shows (WCAG 2.5.3). */}
        <span className="sr-only">Account: </span>
        <AccountLabel account={current} />
        <span className="sr-only">. Switch account</span>
        <ChevronDownIcon className="size-4 shrink-0 text-zinc-400" />
      </button>
      {open ? (
        <div className="absolute inset-x-0 top-full z-30 mt-1 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
          {reachesMore ? (
            <div className="p-1">
              <Input
                type="search"
                aria-label="Find an account"
                placeholder="Find an account…"
                value={query}
                onChange={(event) => setQuery(event.target.value)}
                maxLength={ACCOUNT_SEARCH_MAX_LENGTH}
                autoComplete="off"
                spellCheck={false}
                // Focused at once: the menu was opened to pick an account, and typing finds it.
                autoFocus
              />
            </div>
          ) : null}
          <div role="menu" aria-label="Accounts" className="max-h-80 overflow-y-auto">
            {shown.map((account) => (
              <Link
                key={account.id}
                role="menuitem"
                href={accountHome(account)}
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
          {note ? (
            <p role="status" className="px-2.5 py-2 text-xs text-zinc-500 dark:text-zinc-400">
              {note}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
