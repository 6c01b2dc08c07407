"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { keysForChange, queryKeys } from "@/lib/query/keys";

export type LiveStatus = "connecting" | "connected" | "offline";

const LiveStatusContext = createContext<LiveStatus>("offline");

/** A change from the stream, or null after a gap in it (anything may have changed). */
export type ChangeListener = (change: ChangeEvent | null) => void;

const ChangeListenersContext = createContext<Set<ChangeListener> | null>(null);

/** EventSource retries dropped connections itself, but not refused ones; those are retried here. */
const RECONNECT_AFTER_MS = 15_000;

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}

export interface ChangeEvent {
  resourceVersion: string;
  kind: string;
  objectId: string;
  accountId: string | null;
  action: string;
}

function parseChange(data: string): ChangeEvent | null {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== "object" || value === null) return null;
    const { resourceVersion, kind, objectId, accountId, action } = value as Record<string, unknown>;
    if (typeof kind !== "string" || typeof objectId !== "string") return null;
    return {
      resourceVersion: String(resourceVersion),
      kind,
      objectId,
      accountId: typeof accountId === "string" ? accountId : null,
      action: String(action),
    };
  } catch {
    return null;
  }
}

/**
 * Follows /api/v1/events and invalidates the queries a change touches. EventSource reconnects by
 * itself and resumes from the last event id; after any gap (the first connection included) everything
 * is refetched once, since events may have been missed. When the stream cannot be kept open, the status drops to "offline" and the
 * site hooks poll faster instead.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  // Bumped to open a new stream after the browser gave up on the old one (e.g. a 401 or a 502).
  const [attempt, setAttempt] = useState(0);
  // Components that follow changes themselves (server-rendered lists refresh their route).
  const [listeners] = useState(() => new Set<ChangeListener>());

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new attempt opens a new stream.
  useEffect(() => {
    const source = new EventSource("/api/v1/events");
    // The first stream is a gap too: the server rendered the page's data before the stream opened,
    // and a change in between (e.g. a site's status) is not replayed, since the stream starts at "now".
    let hadGap = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("ready", () => {
      setStatus("connected");
      if (hadGap) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.all });
        for (const listener of listeners) listener(null);
      }
      hadGap = false;
    });
    // The position we resumed from is older than the change log keeps: events were dropped, so
    // the `ready` that follows refetches everything, as after any gap.
    source.addEventListener("reset", () => {
      hadGap = true;
    });
    source.addEventListener("change", (event) => {
      const change = parseChange(event.data);
      if (!change) return;
      for (const queryKey of keysForChange(change)) {
        void queryClient.invalidateQueries({ queryKey });
      }
      for (const listener of listeners) listener(change);
    });
    // The server's database does not answer: the stream ends and EventSource comes back later.
    source.addEventListener("unavailable", () => {
      hadGap = true;
      setStatus("offline");
    });
    source.addEventListener("error", () => {
      hadGap = true;
      if (source.readyState === EventSource.CLOSED) {
        setStatus("offline");
        retry = setTimeout(() => setAttempt((n) => n + 1), RECONNECT_AFTER_MS);
      } else {
        setStatus("connecting");
      }
    });
    return () => {
      clearTimeout(retry);
      source.close();
    };
  }, [queryClient, attempt, listeners]);

  return (
    <LiveStatusContext.Provider value={status}>
      <ChangeListenersContext.Provider value={listeners}>{children}</ChangeListenersContext.Provider>
    </LiveStatusContext.Provider>
  );
}

/**
 * Calls `onChange` for every change the stream delivers (and with null after a gap), while the
 * component is mounted. The latest `onChange` is used; it need not be stable.
 */
export function useChanges(onChange: ChangeListener): void {
  const listeners = useContext(ChangeListenersContext);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!listeners) return;
    const listener: ChangeListener = (change) => latest.current(change);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [listeners]);
}
