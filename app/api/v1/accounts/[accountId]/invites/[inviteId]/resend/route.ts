import { z } from "zod";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { resendInvite } from "@/lib/services/membership/resend-invite";

export const dynamic = "force-dynamic";

/**
 * Mails a pending invitation again with a new link (the previous one stops working); answers the
 * invitation and the new token, shown once.
 */
export const POST = withActor(
  async ({ actor, params }) => {
    const resent = await resendInvite({
      actor,
      accountId: params.accountId,
      input: { inviteId: params.inviteId },
    });
    return jsonResponse(resent);
  },
  {
    name: "POST /api/v1/accounts/:accountId/invites/:inviteId/resend",
    params: z.object({ accountId: idSchema, inviteId: idSchema }),
  },
);
