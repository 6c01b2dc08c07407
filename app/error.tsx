"use client";

import { Button } from "@/components/ui/button";
import { DATABASE_UNAVAILABLE_DIGEST } from "@/lib/db/unavailable";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  // The digest survives production builds, which withhold the message (lib/db/unavailable.ts).
  const databaseDown = error.digest === DATABASE_UNAVAILABLE_DIGEST;
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="flex min-h-[60vh] flex-col items-center justify-center px-4 text-center outline-none"
    >
      <h1 className="text-2xl font-semibold tracking-tight">
        {databaseDown ? "Sitepod's database is not answering" : "Something went wrong"}
      </h1>
      <p className="mt-2 max-w-sm text-sm text-zinc-500 dark:text-zinc-400">
        {databaseDown
          ? "The page could not be loaded. This usually passes in a moment; please try again."
          : "The page could not be loaded. It has been logged; please try again."}
      </p>
      <Button variant="secondary" className="mt-6" onClick={reset}>
        Try again
      </Button>
    </main>
  );
}
