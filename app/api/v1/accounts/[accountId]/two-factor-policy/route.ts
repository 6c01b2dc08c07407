import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { setTwoFactorPolicy } from "@/lib/services/two-factor/set-two-factor-policy";

export const dynamic = "force-dynamic";

/** { requireTwoFactor }: requires two-factor sign-in of everyone in the account and below (admins). */
export const PUT = withActor(
  async ({ req, actor, params }) => {
    const policy = await setTwoFactorPolicy({
      actor,
      accountId: params.accountId,
      input: await readJson(req),
    });
    return jsonResponse({ policy });
  },
  { name: "PUT /api/v1/accounts/:accountId/two-factor-policy", params: accountParamsSchema },
);
