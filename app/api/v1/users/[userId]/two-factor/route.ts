import { z } from "zod";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { resetUserTwoFactor } from "@/lib/services/two-factor/reset-user-two-factor";

export const dynamic = "force-dynamic";

/** The platform operator turns the user's two-factor sign-in off (audited). */
export const DELETE = withActor(
  async ({ actor, params }) => {
    const reset = await resetUserTwoFactor({ actor, userId: params.userId });
    return jsonResponse({ reset });
  },
  {
    name: "DELETE /api/v1/users/:userId/two-factor",
    params: z.object({ userId: idSchema }),
    sessionOnly: "reset two-factor sign-in",
  },
);
