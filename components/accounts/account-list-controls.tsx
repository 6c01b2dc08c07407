import Form from "next/form";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { ACCOUNT_SEARCH_MAX_LENGTH } from "@/lib/validation/account";

/**
 * The search of a long list of accounts: a GET form, so that the server filters (for thousands of
 * accounts) and the URL keeps the search (bookmarks, reloads, live refreshes). Works without script;
 * with it, Next's Form navigates without a full reload.
 */
export function AccountSearch({
  action,
  q,
  label,
  placeholder,
}: {
  action: string;
  q: string | null;
  label: string;
  placeholder: string;
}) {
  return (
    <Form action={action} className="flex min-w-0 flex-1 basis-64 gap-2" aria-label={label} role="search">
      <Input
        name="q"
        type="search"
        aria-label={label}
        placeholder={placeholder}
        defaultValue={q ?? ""}
        maxLength={ACCOUNT_SEARCH_MAX_LENGTH}
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" className={buttonClasses("secondary")}>
        Search
      </button>
      {q ? (
        <Link href={action} className={buttonClasses("ghost")} data-testid="clear-search">
          Clear
        </Link>
      ) : null}
    </Form>
  );
}

function pageHref(action: string, q: string | null, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  const qs = params.toString();
  return qs ? `${action}?${qs}` : action;
}

/** Previous and next page of a server-paginated list, as links (the URL holds the page). */
export function AccountPagination({
  action,
  q,
  page,
  pageCount,
}: {
  action: string;
  q: string | null;
  page: number;
  pageCount: number;
}) {
  if (pageCount <= 1) return null;
  const link = (target: number, label: string, disabled: boolean) =>
    disabled ? (
      <span
        aria-disabled="true"
        className={buttonClasses("secondary", "sm", "pointer-events-none opacity-50")}
      >
        {label}
      </span>
    ) : (
      <Link href={pageHref(action, q, target)} className={buttonClasses("secondary", "sm")} scroll={false}>
        {label}
      </Link>
    );
  return (
    <nav
      aria-label="Pagination"
      className="flex items-center justify-between border-t border-zinc-200 px-5 py-3 text-sm dark:border-zinc-800"
    >
      <span className="text-zinc-500 dark:text-zinc-400" data-testid="page-position">
        Page {page} of {pageCount}
      </span>
      <div className="flex gap-2">
        {link(page - 1, "Previous", page <= 1)}
        {link(page + 1, "Next", page >= pageCount)}
      </div>
    </nav>
  );
}
