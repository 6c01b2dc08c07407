import type { SitePhase } from "@/lib/api/json";

/** Phases the reconciler is still working on: their status will change without the user acting. */
export function isTransitional(phase: SitePhase): boolean {
  return phase === "PROVISIONING" || phase === "DELETING";
}

/** Live events do the work while the stream is connected; polling covers a broken stream. */
export function pollInterval(live: "connected" | "connecting" | "offline"): number {
  return live === "connected" ? 15_000 : 3_000;
}
