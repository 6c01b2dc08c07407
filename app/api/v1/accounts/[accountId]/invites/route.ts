import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { createInvite } from "@/lib/services/membership/create-invite";

export const dynamic = "force-dynamic";

/** { role, email? }: answers the invitation and its token, which is not stored and shown once. */
export const POST = withActor(
  async ({ req, actor, params }) => {
    const created = await createInvite({ actor, accountId: params.accountId, input: await readJson(req) });
    return jsonResponse(created, { status: 201 });
  },
  { name: "POST /api/v1/accounts/:accountId/invites", params: accountParamsSchema },
);
