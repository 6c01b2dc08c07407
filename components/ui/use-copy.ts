"use client";

import { useState } from "react";
import { useToast } from "@/components/ui/toast";

/**
 * Copies a secret shown once and says so with a toast: "Link copied", or where the browser refuses,
 * "Select the link and copy it." `what` is the lower-case noun ("link", "password", "token").
 */
export function useCopy(what: string): { copied: boolean; copy: (text: string) => Promise<void> } {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.show({ tone: "success", title: `${what.charAt(0).toUpperCase()}${what.slice(1)} copied` });
    } catch {
      toast.show({ tone: "error", title: "Could not copy", description: `Select the ${what} and copy it.` });
    }
  }
  return { copied, copy };
}
