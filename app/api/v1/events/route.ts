import { formatSseEvent, resumeFrom } from "@/lib/api/sse";
import { withActor } from "@/lib/api/with-actor";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { getChangeHub } from "@/lib/live/change-hub";
import { runChangeStream } from "@/lib/live/change-stream";
import { stillSignedIn } from "@/lib/live/credential-checks";

export const dynamic = "force-dynamic";

const HEARTBEAT_INTERVAL_MS = 15_000;
/**
 * The session is checked when the stream opens and every SESSION_CHECK_INTERVAL_MS after; ending the
 * stream after a while makes the browser reconnect (resuming from Last-Event-ID), which checks the
 * session again.
 */
const MAX_STREAM_MS = 5 * 60_000;
/**
 * An open stream re-reads its session (or API token) this often and ends once it is revoked
 * (signed out, removed, token revoked or expired) or a support session started or ended in it;
 * streams on one credential share each check (lib/live/credential-checks.ts).
 * The accounts it reaches are re-read then too when a membership changed (or once a minute).
 */
const SESSION_CHECK_INTERVAL_MS = 5_000;

/**
 * Live updates for the panel: every change the actor may see as an event `change` with the
 * resourceVersion as its id (lib/live/change-stream.ts). The process's one change hub reads the
 * change log; each stream filters its rows by the account paths the caller reaches. The browser
 * only uses the events to invalidate queries, so a missed event costs a refetch, never wrong data;
 * an event `reset` (a resume older than the change log keeps) makes it refetch everything.
 */
export const GET = withActor(
  async ({ req, actor, log }) => {
    const requested = resumeFrom({
      since: req.nextUrl.searchParams.get("since"),
      lastEventId: req.headers.get("last-event-id"),
    });
    const hub = getChangeHub();
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    req.signal.addEventListener("abort", onAbort, { once: true });
    const deadline = setTimeout(onAbort, MAX_STREAM_MS);
    const encoder = new TextEncoder();

    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (text: string) => controller.enqueue(encoder.encode(text));
        send("retry: 3000\n\n");
        try {
          const end = await runChangeStream({
            actor,
            requested,
            hub,
            send,
            signal: stop.signal,
            stillSignedIn: () => stillSignedIn(actor),
            sessionCheckMs: SESSION_CHECK_INTERVAL_MS,
            heartbeatMs: HEARTBEAT_INTERVAL_MS,
            log,
          });
          if (end === "signed_out") {
            log.info("event stream ended: session or token revoked", { event: "auth.stream_session_ended" });
          }
        } catch (err) {
          if (stop.signal.aborted) {
            // The client went away; nothing to tell.
          } else if (isDatabaseUnavailable(err)) {
            // Said to the browser before the stream ends; it reconnects (and resumes) by itself.
            log.warn("event stream ended: database unavailable", { event: "db.unavailable", err, requested });
            send(
              formatSseEvent({
                event: "unavailable",
                data: { code: "UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE },
              }),
            );
          } else {
            log.error("event stream failed", { err, requested });
          }
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
