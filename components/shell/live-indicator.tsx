"use client";

import { cn } from "@/components/ui/cn";
import { useLiveStatus } from "@/lib/query/live-updates";

const labels = { connected: "Live updates on", connecting: "Connecting…", offline: "Live updates paused" };

export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <p className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400" data-live-status={status}>
      <span
        className={cn(
          "size-2 rounded-full",
          status === "connected" && "bg-emerald-500",
          status === "connecting" && "animate-pulse bg-amber-400",
          status === "offline" && "bg-zinc-400",
        )}
      />
      {labels[status]}
    </p>
  );
}
