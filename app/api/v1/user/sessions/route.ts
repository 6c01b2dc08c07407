import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { listUserSessions } from "@/lib/services/session/list-user-sessions";

export const dynamic = "force-dynamic";

/** The caller's own live sessions; `current` marks the one making this request. */
export const GET = withActor(
  async ({ actor }) => jsonResponse({ sessions: await listUserSessions({ actor }) }),
  { name: "GET /api/v1/user/sessions", sessionOnly: "list your sessions" },
);
