/**
 * The platform health page in words: what the operator reads first for the reconciler and the
 * cluster. Pure, so that every state has its sentence tested.
 */
import type { BadgeTone } from "@/components/ui/badge";
import type { Jsonify } from "@/lib/api/json";
import type { ReconcilerLiveness } from "@/lib/health/reconciler-liveness";
import type { ClusterProbe } from "@/lib/k8s/cluster-probe";

export interface HealthWords {
  label: string;
  tone: BadgeTone;
  /** One sentence under the label. */
  detail: string;
}

/** "4 s", "3 min", "2 h", "5 days": how long ago, roughly. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h`;
  const days = Math.round(hours / 24);
  return `${days} ${days === 1 ? "day" : "days"}`;
}

function ago(iso: string, now: Date): string {
  return `${formatAge(now.getTime() - Date.parse(iso))} ago`;
}

export function reconcilerWords(liveness: Jsonify<ReconcilerLiveness>, now: Date): HealthWords {
  switch (liveness.state) {
    case "up": {
      const { leader, standby } = liveness;
      const spare =
        standby > 0
          ? ` ${standby} more ${standby === 1 ? "instance waits" : "instances wait"} to take over.`
          : "";
      return {
        label: "Up and leading",
        tone: "success",
        detail: `${leader.holder} reconciles (last report ${ago(leader.beatAt, now)}, running for ${formatAge(now.getTime() - Date.parse(leader.startedAt))}).${spare}`,
      };
    }
    case "no-leader":
      return {
        label: "No leader",
        tone: "warning",
        detail: `${liveness.instances.length} ${liveness.instances.length === 1 ? "instance reports" : "instances report"} but none holds the lease, so nothing is reconciled${liveness.lastLeaderBeatAt ? ` (a leader last reported ${ago(liveness.lastLeaderBeatAt, now)})` : ""}.`,
      };
    case "down":
      return {
        label: `Down since ${formatAge(now.getTime() - Date.parse(liveness.since))} ago`,
        tone: "danger",
        detail: liveness.stopped
          ? `${liveness.last.holder} stopped at ${liveness.since} and no instance has reported since. Changes are saved but not applied to the cluster.`
          : `${liveness.last.holder} last reported at ${liveness.since} and has been silent since. Changes are saved but not applied to the cluster.`,
      };
    case "never":
      return {
        label: "Never reported",
        tone: "danger",
        detail:
          "No reconciler has reported to this database. Start it (npm run reconciler, or its Deployment).",
      };
  }
}

export function clusterWords(probe: Jsonify<ClusterProbe>): HealthWords {
  switch (probe.state) {
    case "ready":
      return {
        label: "Reachable",
        tone: "success",
        detail: `${probe.server} is ready${probe.version ? ` (Kubernetes ${probe.version})` : ""}, answered in ${probe.latencyMs} ms.`,
      };
    case "unready":
      return {
        label: "Not ready",
        tone: "warning",
        detail: `${probe.server} answered HTTP ${probe.status}: ${probe.message}`,
      };
    case "unreachable":
      return {
        label: "Unreachable",
        tone: "danger",
        detail: `${probe.server} did not answer: ${probe.message}`,
      };
    case "not-configured":
      return { label: "Not configured", tone: "neutral", detail: probe.message };
  }
}
