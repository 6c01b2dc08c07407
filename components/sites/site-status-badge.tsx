import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Spinner } from "@/components/ui/spinner";
import type { SitePhase } from "@/lib/api/json";

const phases: Record<SitePhase, { label: string; tone: BadgeTone; busy: boolean }> = {
  PROVISIONING: { label: "Provisioning", tone: "info", busy: true },
  RUNNING: { label: "Running", tone: "success", busy: false },
  DEGRADED: { label: "Degraded", tone: "warning", busy: false },
  DELETING: { label: "Deleting", tone: "danger", busy: true },
  SUSPENDED: { label: "Suspended", tone: "neutral", busy: false },
};

export function SiteStatusBadge({ phase }: { phase: SitePhase }) {
  const { label, tone, busy } = phases[phase];
  return (
    <Badge tone={tone} data-testid="site-status" data-phase={phase}>
      {busy ? <Spinner className="size-3" /> : <span className="size-1.5 rounded-full bg-current" />}
      {label}
    </Badge>
  );
}
