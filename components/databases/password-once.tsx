"use client";

import { Button } from "@/components/ui/button";
import { useCopy } from "@/components/ui/use-copy";

/** A password Sitepod keeps only sealed for the server and sites: shown here once, with a copy button. */
export function PasswordOnce({ user, password }: { user: string; password: string }) {
  const { copied, copy: copyText } = useCopy("password");
  const copy = () => copyText(password);
  return (
    <div className="space-y-2 rounded-lg border border-brand-100 bg-brand-50/60 p-3 dark:border-brand-500/30 dark:bg-brand-500/10">
      <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
        Password of <span className="font-mono">{user}</span>
      </p>
      <div className="flex gap-2">
        <input
          readOnly
          value={password}
          aria-label={`Password of ${user}`}
          data-testid="database-password"
          onFocus={(e) => e.currentTarget.select()}
          className="h-9 min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 font-mono text-xs text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
        />
        <Button size="sm" variant="secondary" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Shown only this once: Sitepod cannot show it again. Reset the password if it is lost.
      </p>
    </div>
  );
}
