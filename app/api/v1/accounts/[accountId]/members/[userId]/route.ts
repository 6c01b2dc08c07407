import { z } from "zod";
import { idSchema } from "@/lib/api/params";
import { withActor } from "@/lib/api/with-actor";
import { removeMember } from "@/lib/services/membership/remove-member";

export const dynamic = "force-dynamic";

export const DELETE = withActor(
  async ({ actor, params }) => {
    await removeMember({ actor, accountId: params.accountId, input: { userId: params.userId } });
    return new Response(null, { status: 204 });
  },
  {
    name: "DELETE /api/v1/accounts/:accountId/members/:userId",
    params: z.object({ accountId: idSchema, userId: idSchema }),
  },
);
