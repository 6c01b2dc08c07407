import { formatSseEvent, resumeFrom, SSE_HEARTBEAT } from "@/lib/api/sse";
import { withActor } from "@/lib/api/with-actor";
import { getLatestResourceVersion } from "@/lib/services/change-log/get-latest-resource-version";
import { listChangesSince } from "@/lib/services/change-log/list-changes-since";
import { findActiveUserSession } from "@/lib/services/session/find-active-user-session";

export const dynamic = "force-dynamic";

const POLL_INTERVAL_MS = 1_000;
const HEARTBEAT_INTERVAL_MS = 15_000;
const PAGE_SIZE = 200;
/**
 * The session is checked when the stream opens and every SESSION_CHECK_INTERVAL_MS after; ending the
 * stream after a while makes the browser reconnect (resuming from Last-Event-ID), which checks the
 * session again.
 */
const MAX_STREAM_MS = 5 * 60_000;
/** An open stream re-reads its session this often and ends once it is revoked (signed out, removed). */
const SESSION_CHECK_INTERVAL_MS = 5_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Live updates for the panel: every change the actor may see (scoped by listChangesSince) as an
 * event `change` with the resourceVersion as its id. The browser only uses them to invalidate
 * queries, so a missed event costs a refetch, never wrong data.
 */
export const GET = withActor(
  async ({ req, actor, log }) => {
    const requested = resumeFrom({
      since: req.nextUrl.searchParams.get("since"),
      lastEventId: req.headers.get("last-event-id"),
    });
    let cursor = requested ?? (await getLatestResourceVersion());
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    req.signal.addEventListener("abort", onAbort, { once: true });
    const deadline = setTimeout(onAbort, MAX_STREAM_MS);
    const encoder = new TextEncoder();

    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        send("retry: 3000\n\n");
        send(formatSseEvent({ id: cursor.toString(), event: "ready", data: { resourceVersion: cursor } }));
        let lastWrite = Date.now();
        // The scoped query (memberships, reachable accounts, changes) runs only when the log has
        // grown since the last look, or at least once per heartbeat interval to catch a change
        // whose id committed late; otherwise a poll is one indexed MAX(id).
        let lastMax = -1n;
        let lastScan = 0;
        let lastSessionCheck = Date.now();
        try {
          while (!stop.signal.aborted) {
            if (Date.now() - lastSessionCheck >= SESSION_CHECK_INTERVAL_MS) {
              lastSessionCheck = Date.now();
              if (!(await findActiveUserSession({ sessionId: actor.sessionId, userId: actor.userId }))) {
                log.info("event stream ended: session revoked", { event: "auth.stream_session_ended" });
                break;
              }
            }
            const latest = await getLatestResourceVersion();
            if (latest !== lastMax || Date.now() - lastScan >= HEARTBEAT_INTERVAL_MS) {
              lastScan = Date.now();
              const changes = await listChangesSince({ actor, since: cursor, limit: PAGE_SIZE });
              for (const change of changes) {
                send(formatSseEvent({ id: change.resourceVersion, event: "change", data: change }));
                cursor = BigInt(change.resourceVersion);
                lastWrite = Date.now();
              }
              // A full page may have more behind it: look again at once.
              if (changes.length === PAGE_SIZE) {
                lastMax = -1n;
                continue;
              }
              lastMax = latest;
            }
            if (Date.now() - lastWrite >= HEARTBEAT_INTERVAL_MS) {
              send(SSE_HEARTBEAT);
              lastWrite = Date.now();
            }
            await sleep(POLL_INTERVAL_MS, stop.signal);
          }
        } catch (err) {
          if (!stop.signal.aborted) log.error("event stream failed", { err, cursor });
        } finally {
          clearTimeout(deadline);
          req.signal.removeEventListener("abort", onAbort);
          try {
            controller.close();
          } catch {
            // Already closed by the client going away.
          }
        }
      },
      cancel() {
        stop.abort();
      },
    });

    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  },
  { name: "GET /api/v1/events" },
);
