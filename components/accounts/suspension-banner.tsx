export function SuspensionBanner({ accountName, reason }: { accountName: string; reason: string | null }) {
  return (
    <div
      role="alert"
      data-testid="suspension-banner"
      className="mb-6 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
    >
      <p className="font-semibold">{accountName} is suspended</p>
      <p className="mt-0.5">
        {reason ? `Reason: ${reason}. ` : ""}Its sites are offline and show a notice to visitors. Contact your
        hosting provider to restore it.
      </p>
    </div>
  );
}
