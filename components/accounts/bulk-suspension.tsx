"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { bulkSuspendAccountsAction } from "@/lib/actions/account/bulk-suspend-accounts-action";
import { bulkUnsuspendAccountsAction } from "@/lib/actions/account/bulk-unsuspend-accounts-action";
import type { Jsonify } from "@/lib/api/json";
import type { BulkAccountOutcome } from "@/lib/services/account/bulk-account-targets";

export interface Selectable {
  id: string;
  name: string;
  status: "ACTIVE" | "SUSPENDED";
  terminationRequestedAt: string | null;
}

type Outcome = Jsonify<BulkAccountOutcome>;

interface Report {
  verb: "suspended" | "unsuspended";
  outcome: Outcome;
}

function count(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * The bar over the list when accounts are selected: suspend them with one reason, or lift their
 * suspension. Each account is suspended as on its own (its provider's right, an audit-log row);
 * those that could not be (already suspended, being terminated) are listed with the reason, and stay
 * selected so that nothing is lost from sight.
 */
export function BulkSuspension({
  parentId,
  selected,
  singular,
  plural,
  onDone,
  onClear,
}: {
  parentId: string;
  selected: Selectable[];
  /** "customer", "customers": what the list calls its accounts. */
  singular: string;
  plural: string;
  /** After a bulk change: the accounts to keep selected (those that failed). */
  onDone: (keep: string[]) => void;
  onClear: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const [suspending, setSuspending] = useState(false);
  const [unsuspending, setUnsuspending] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const active = selected.filter((a) => a.status === "ACTIVE" && !a.terminationRequestedAt);
  const suspended = selected.filter((a) => a.status === "SUSPENDED" && !a.terminationRequestedAt);
  const ids = selected.map((a) => a.id);

  function finish(verb: Report["verb"], outcome: Outcome): null {
    const failedIds = outcome.results.filter((r) => !r.ok).map((r) => r.accountId);
    setReport(outcome.failed > 0 ? { verb, outcome } : null);
    if (outcome.succeeded > 0) {
      toast.show({
        tone: outcome.failed > 0 ? "info" : "success",
        title: `${count(outcome.succeeded, singular, plural)} ${verb}${outcome.failed > 0 ? `; ${outcome.failed} not` : ""}`,
      });
    }
    onDone(failedIds);
    router.refresh();
    return null;
  }

  return (
    <>
      {selected.length > 0 ? (
        <div
          className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-brand-50/60 px-5 py-2.5 text-sm dark:border-zinc-800 dark:bg-brand-500/10"
          data-testid="bulk-bar"
        >
          <span className="mr-auto font-medium text-zinc-800 dark:text-zinc-200" aria-live="polite">
            {count(selected.length, singular, plural)} selected
          </span>
          <Button
            size="sm"
            variant="secondary"
            disabled={active.length === 0}
            onClick={() => setSuspending(true)}
          >
            Suspend selected
          </Button>
          <Button
            size="sm"
            variant="secondary"
            disabled={suspended.length === 0}
            onClick={() => setUnsuspending(true)}
          >
            Unsuspend selected
          </Button>
          <Button size="sm" variant="ghost" onClick={onClear}>
            Clear selection
          </Button>
        </div>
      ) : null}
      {report ? (
        <div
          role="alert"
          data-testid="bulk-report"
          className="border-b border-amber-200 bg-amber-50 px-5 py-3 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200"
        >
          <div className="flex items-start justify-between gap-3">
            <p className="font-medium">
              {count(report.outcome.succeeded, singular, plural)} {report.verb};{" "}
              {count(report.outcome.failed, singular, plural)} could not be:
            </p>
            <Button size="sm" variant="ghost" onClick={() => setReport(null)}>
              Dismiss
            </Button>
          </div>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {report.outcome.results.map((result) =>
              result.ok ? null : (
                <li key={result.accountId} data-testid="bulk-failure" data-account-id={result.accountId}>
                  <span className="font-medium">{result.name}</span>: {result.message}
                </li>
              ),
            )}
          </ul>
        </div>
      ) : null}
      <ConfirmDialog
        open={suspending}
        onClose={() => setSuspending(false)}
        title={`Suspend ${count(selected.length, singular, plural)}?`}
        description={`Their sites go offline and show a notice; their members are told the reason. ${
          active.length < selected.length
            ? `${count(selected.length - active.length, "is", "are")} already suspended or being terminated and will be reported as not suspended.`
            : ""
        }`}
        confirmLabel={`Suspend ${count(selected.length, singular, plural)}`}
        danger
        onConfirm={async (form) => {
          const result = await bulkSuspendAccountsAction({
            parentId,
            accountIds: ids,
            reason: String(form.get("reason") ?? ""),
          });
          if (!result.ok) return result.fieldErrors?.reason ?? result.message;
          return finish("suspended", result.data);
        }}
      >
        <Field id="bulk-suspend-reason" label="Reason">
          <Input
            id="bulk-suspend-reason"
            name="reason"
            autoComplete="off"
            placeholder="Unpaid invoice"
            autoFocus
          />
        </Field>
      </ConfirmDialog>
      <ConfirmDialog
        open={unsuspending}
        onClose={() => setUnsuspending(false)}
        title={`Unsuspend ${count(selected.length, singular, plural)}?`}
        description="Their sites start again."
        confirmLabel={`Unsuspend ${count(selected.length, singular, plural)}`}
        onConfirm={async () => {
          const result = await bulkUnsuspendAccountsAction({ parentId, accountIds: ids });
          if (!result.ok) return result.message;
          return finish("unsuspended", result.data);
        }}
      />
    </>
  );
}
