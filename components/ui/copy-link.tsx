"use client";

import { Button } from "@/components/ui/button";
import { useCopy } from "@/components/ui/use-copy";

/** A secret link shown once: the server keeps only its hash, so it cannot be shown again. */
export function CopyLink({ url, label }: { url: string; label: string }) {
  const { copied, copy: copyText } = useCopy("link");
  const copy = () => copyText(url);
  return (
    <div className="space-y-2 rounded-lg border border-brand-100 bg-brand-50/60 p-3 dark:border-brand-500/30 dark:bg-brand-500/10">
      <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{label}</p>
      <div className="flex gap-2">
        <input
          readOnly
          value={url}
          aria-label="Invitation link"
          data-testid="invite-link"
          onFocus={(e) => e.currentTarget.select()}
          className="h-9 min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 font-mono text-xs text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
        />
        <Button size="sm" variant="secondary" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        This link is shown only once and works for one person, for 7 days.
      </p>
    </div>
  );
}

export function inviteUrl(token: string): string {
  return `${window.location.origin}/invite/${token}`;
}
