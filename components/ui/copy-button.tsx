"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * Copies `value` to the clipboard. Its name says what it copies ("Copy value 203.0.113.10"); it
 * reads "Copied" for a moment after, and "Select and copy" where the browser refuses (no toast:
 * one per click would pile up).
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2_000);
    return () => clearTimeout(timer);
  }, [state]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  }
  return (
    <Button
      size="sm"
      variant="ghost"
      className="h-7 px-2 text-xs"
      aria-label={label}
      onClick={() => void copy()}
    >
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : "Copy"}
      </span>
    </Button>
  );
}
