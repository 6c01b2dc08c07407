"use client";

import { Button } from "@/components/ui/button";
import { useCopy } from "@/components/ui/use-copy";

/** A new API token, shown this once: Sitepod keeps only its SHA-256. */
export function TokenOnce({ name, token }: { name: string; token: string }) {
  const { copied, copy: copyText } = useCopy("token");
  const copy = () => copyText(token);
  return (
    <div className="space-y-3">
      <div
        role="alert"
        className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200"
      >
        <p className="font-medium">Copy this token now. You will not see it again.</p>
        <p className="mt-1">
          Sitepod keeps only a fingerprint of it, so nobody can show it to you later. If you lose it, revoke
          it and create a new one.
        </p>
      </div>
      <div className="space-y-2 rounded-lg border border-brand-100 bg-brand-50/60 p-3 dark:border-brand-500/30 dark:bg-brand-500/10">
        <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{name}</p>
        <div className="flex gap-2">
          <input
            readOnly
            value={token}
            aria-label={`API token ${name}`}
            data-testid="api-token-secret"
            onFocus={(e) => e.currentTarget.select()}
            className="h-9 min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 font-mono text-xs text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
          />
          <Button size="sm" variant="secondary" onClick={() => void copy()}>
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Send it as <code className="font-mono">Authorization: Bearer {token.slice(0, 8)}…</code> with
          requests to the REST API (<code className="font-mono">/api/v1/…</code>).
        </p>
      </div>
    </div>
  );
}
