import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { acceptInvite } from "@/lib/services/membership/accept-invite";

export const dynamic = "force-dynamic";

/** { token }: the signed-in caller joins the invitation's account. */
export const POST = withActor(
  async ({ req, actor }) => jsonResponse(await acceptInvite({ actor, input: await readJson(req) })),
  { name: "POST /api/v1/invites/accept", sessionOnly: "accept invitations" },
);
