import { Card, CardBody } from "@/components/ui/card";
import type { SiteJson } from "@/lib/api/json";

/** What each fault the reconciler reports means for the owner, and what usually helps. */
const FAULT_HINTS: Record<string, string> = {
  ImagePullFailed:
    "The site's runtime image is not available on the cluster. Your hosting provider has to fix this.",
  ContainerStartFailed: "A container of the site could not be started.",
  CrashLoop: "A container of the site keeps stopping; Kubernetes restarts it with growing pauses.",
  NotReady: "The site's pod runs but does not answer its health check through PHP.",
  Unschedulable: "No node has room for the site's pod.",
  InstallFailed: "WordPress could not be installed. Sitepod tries again after a pause that grows each time.",
};

/**
 * The site's Degraded condition, when it is True: its reason as the heading, the message, and the
 * last log lines the reconciler captured when the fault appeared.
 */
export function SiteFault({ conditions }: { conditions: SiteJson["conditions"] }) {
  const degraded = conditions.find((c) => c.type === "Degraded" && c.status === "True");
  if (!degraded) return null;
  const hint = FAULT_HINTS[degraded.reason];
  return (
    <Card className="mt-6 border-red-300 dark:border-red-500/40">
      <section
        aria-labelledby="site-fault-heading"
        data-testid="site-fault"
        data-reason={degraded.reason}
        // The status summary links here ("See what went wrong"); land below the sticky bars.
        id="site-fault"
        className="scroll-mt-32"
      >
        <CardBody className="space-y-3">
          <div>
            <p className="text-xs font-medium tracking-wide text-red-700 uppercase dark:text-red-300">
              Degraded
            </p>
            <h2 id="site-fault-heading" className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
              {degraded.reason}
            </h2>
            {hint ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{hint}</p> : null}
          </div>
          <p className="text-sm text-zinc-800 dark:text-zinc-200" data-testid="site-fault-message">
            {degraded.message}
          </p>
          {degraded.logs ? (
            // A named region, focusable so that keyboard users can scroll it.
            <section
              aria-label="Last log lines"
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable.
              tabIndex={0}
              data-testid="site-fault-logs"
              className="max-h-80 overflow-auto rounded-lg bg-zinc-950 p-3 focus-visible:outline-2 focus-visible:outline-brand-500"
            >
              <pre className="font-mono text-xs leading-relaxed whitespace-pre text-zinc-100">
                {degraded.logs}
              </pre>
            </section>
          ) : null}
        </CardBody>
      </section>
    </Card>
  );
}
