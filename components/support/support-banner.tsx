"use client";

import { useEffect, useState, useTransition } from "react";
import { formatLocal } from "@/components/sites/format";
import { Button } from "@/components/ui/button";
import { LifebuoyIcon } from "@/components/ui/icons";
import { endImpersonationAction } from "@/lib/actions/impersonation/end-impersonation-action";

/**
 * On every page of a support session: whom the operator acts as, until when, and the way out.
 * At its time limit the page reloads, as the operator again.
 */
export function SupportBanner({
  asName,
  operatorName,
  expiresAt,
}: {
  asName: string;
  operatorName: string;
  expiresAt: string;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [until, setUntil] = useState<string | null>(null);

  useEffect(() => {
    setUntil(formatLocal(expiresAt));
    const left = Date.parse(expiresAt) - Date.now();
    // The server no longer honours it then; a new document shows the operator's own panel.
    const timer = setTimeout(() => window.location.assign("/"), Math.max(0, left) + 1_000);
    return () => clearTimeout(timer);
  }, [expiresAt]);

  function end() {
    setError(null);
    startTransition(async () => {
      const result = await endImpersonationAction({});
      if (!result.ok) {
        setError(result.message);
        return;
      }
      window.location.assign(result.data.home);
    });
  }

  return (
    <section
      aria-label="Support session"
      data-testid="support-banner"
      className="border-b border-violet-300 bg-violet-50 px-4 py-2.5 text-sm text-violet-950 sm:px-8 dark:border-violet-500/40 dark:bg-violet-950 dark:text-violet-100"
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <LifebuoyIcon className="size-5 shrink-0" />
        <p className="min-w-0 flex-1">
          <span className="font-semibold">You are signed in as {asName} for support</span>
          <span className="block text-xs sm:inline sm:before:content-['_—_']">
            Recorded in their audit log as Support ({operatorName})
            {until ? `; ends by itself at ${until}` : ""}.
          </span>
        </p>
        <Button size="sm" variant="secondary" pending={pending} onClick={end}>
          End
        </Button>
      </div>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </section>
  );
}
