import type { ReactNode } from "react";
import { LocalTime } from "@/components/sites/local-time";
import { Badge } from "@/components/ui/badge";
import { ChevronRightIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import type { SiteJson } from "@/lib/api/json";

const conditionTone = (type: string, status: string) => {
  if (status === "Unknown") return "neutral" as const;
  const good = type === "Degraded" ? status === "False" : status === "True";
  return good ? ("success" as const) : type === "Progressing" ? ("info" as const) : ("warning" as const);
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 text-sm break-all text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}

/**
 * What the platform tracks about the site in Kubernetes' terms, for experts: the generations (has
 * the reconciler caught up with the last change?) and the status conditions. Closed by default, one
 * click away; a native <details>, so it opens with the keyboard and needs no script.
 */
export function SiteTechnicalDetails({ site }: { site: SiteJson }) {
  const upToDate = site.observedGeneration >= site.generation;
  return (
    <details
      className="group mt-6 rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      data-testid="technical-details"
    >
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-xl px-5 py-4 text-base font-semibold text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 dark:text-zinc-100 [&::-webkit-details-marker]:hidden">
        <ChevronRightIcon className="size-4 shrink-0 text-zinc-600 transition-transform group-open:rotate-90 dark:text-zinc-400" />
        Technical details (for experts)
      </summary>
      <div className="border-t border-zinc-200 dark:border-zinc-800">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-4 px-5 py-4 sm:grid-cols-3">
          <Fact label="Generation">
            <span data-testid="generation">{site.generation}</span>
          </Fact>
          <Fact label="Observed generation">
            <span className="inline-flex items-center gap-2">
              <span data-testid="observed-generation">{site.observedGeneration}</span>
              <Badge tone={upToDate ? "success" : "info"}>{upToDate ? "Up to date" : "Applying"}</Badge>
            </span>
          </Fact>
          <Fact label="Site ID">
            <span className="font-mono text-xs">{site.id}</span>
          </Fact>
        </dl>
        <div className="border-t border-zinc-200 dark:border-zinc-800">
          <div className="px-5 pt-4 pb-2">
            <h2 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">Status conditions</h2>
            <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
              What the platform last observed for this site.
            </p>
          </div>
          {site.conditions.length === 0 ? (
            <p className="px-5 pt-2 pb-6 text-sm text-zinc-600 dark:text-zinc-400">
              No conditions reported yet. They appear once provisioning starts.
            </p>
          ) : (
            <Table label="Status conditions">
              <thead>
                <tr>
                  <Th>Type</Th>
                  <Th>Status</Th>
                  <Th>Reason</Th>
                  <Th>Message</Th>
                  <Th>Since</Th>
                </tr>
              </thead>
              <TBody>
                {site.conditions.map((condition) => (
                  <tr key={condition.type} data-testid="condition-row" data-condition={condition.type}>
                    <Td className="font-medium text-zinc-900 dark:text-zinc-100">{condition.type}</Td>
                    <Td>
                      <Badge tone={conditionTone(condition.type, condition.status)}>{condition.status}</Badge>
                    </Td>
                    <Td className="font-mono text-xs">{condition.reason}</Td>
                    <Td wrap className="max-w-md">
                      {condition.message}
                    </Td>
                    <Td className="text-zinc-600 dark:text-zinc-400">
                      <LocalTime iso={condition.lastTransitionTime} />
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </div>
      </div>
    </details>
  );
}
