import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { apiErrorMessage } from "./errors";

export interface PodLogRef {
  namespace: string;
  pod: string;
  container: string;
  /** The container's run before its last restart. */
  previous?: boolean;
}

/** Reads the end of container logs; an interface so tests can serve canned logs. */
export interface PodLogReader {
  /**
   * The last `lines` lines (at most `bytes` bytes) a container wrote. Never throws: when the log
   * cannot be read, says why instead, since a missing log must not fail the pass that reports it.
   */
  tail(ref: PodLogRef, options: { lines: number; bytes: number }): Promise<string>;
  /**
   * Why a controller (a Job) could not create its pod, from its latest FailedCreate event (a
   * ResourceQuota refusing it, usually): Jobs record it in no condition. Undefined when none.
   */
  podCreationFailure?(namespace: string, kind: string, name: string): Promise<string | undefined>;
}

/**
 * A log cut at `bytes` may start in the middle of a line, and a secret cut in two would escape
 * redaction: that first, partial line is dropped.
 */
export function dropPartialFirstLine(text: string, bytes: number): string {
  if (Buffer.byteLength(text, "utf8") < bytes) return text;
  const newline = text.indexOf("\n");
  return newline < 0 ? "" : text.slice(newline + 1);
}

export function createPodLogReader(kc: KubeConfig): PodLogReader {
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async tail(ref, options) {
      try {
        const text = await core.readNamespacedPodLog({
          name: ref.pod,
          namespace: ref.namespace,
          container: ref.container,
          previous: ref.previous ?? false,
          tailLines: options.lines,
          limitBytes: options.bytes,
        });
        return dropPartialFirstLine(String(text), options.bytes);
      } catch (err) {
        return `(the log could not be read: ${apiErrorMessage(err).slice(0, 200)})`;
      }
    },
    async podCreationFailure(namespace, kind, name) {
      try {
        const events = await core.listNamespacedEvent({
          namespace,
          fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name},reason=FailedCreate`,
        });
        const latest = events.items
          .slice()
          .sort(
            (a, b) =>
              new Date(b.lastTimestamp ?? b.eventTime ?? 0).getTime() -
              new Date(a.lastTimestamp ?? a.eventTime ?? 0).getTime(),
          )[0];
        return latest?.message;
      } catch {
        return undefined;
      }
    },
  };
}
