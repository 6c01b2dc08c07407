import { withActor } from "@/lib/api/with-actor";
import { endUserSession } from "@/lib/services/session/end-user-session";
import { endSessionSchema } from "@/lib/validation/session";

export const dynamic = "force-dynamic";

/** Ends one of the caller's sessions; another user's session answers 404 like a made-up id. */
export const DELETE = withActor(
  async ({ actor, params }) => {
    await endUserSession({ actor, input: params });
    return new Response(null, { status: 204 });
  },
  {
    name: "DELETE /api/v1/user/sessions/:sessionId",
    params: endSessionSchema,
    sessionOnly: "end sessions",
  },
);
