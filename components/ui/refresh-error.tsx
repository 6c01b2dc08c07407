/**
 * Above a live list whose last refetch failed: the rows shown stay, but may be stale. Renders
 * nothing while refetches succeed.
 */
export function RefreshError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p
      role="alert"
      className="border-b border-zinc-200 px-5 py-2 text-sm text-amber-700 dark:border-zinc-800"
    >
      Could not refresh the list: {error.message}
    </p>
  );
}
