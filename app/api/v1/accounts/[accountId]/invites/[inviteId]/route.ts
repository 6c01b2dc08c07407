import { z } from "zod";
import { idSchema } from "@/lib/api/params";
import { withActor } from "@/lib/api/with-actor";
import { revokeInvite } from "@/lib/services/membership/revoke-invite";

export const dynamic = "force-dynamic";

/** Revokes a pending invitation: its link stops working. */
export const DELETE = withActor(
  async ({ actor, params }) => {
    await revokeInvite({ actor, accountId: params.accountId, input: { inviteId: params.inviteId } });
    return new Response(null, { status: 204 });
  },
  {
    name: "DELETE /api/v1/accounts/:accountId/invites/:inviteId",
    params: z.object({ accountId: idSchema, inviteId: idSchema }),
  },
);
