import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { createAccount } from "@/lib/services/account/create-account";
import { listDescendantAccounts } from "@/lib/services/account/list-descendant-accounts";
import { createOwnerInvite } from "@/lib/services/membership/create-owner-invite";

export const dynamic = "force-dynamic";

/** The accounts below this one, in tree order, a page at a time (?limit=&cursor=). */
export const GET = withActor(
  async ({ req, actor, params }) => {
    const input = Object.fromEntries(req.nextUrl.searchParams);
    const page = await listDescendantAccounts({ actor, accountId: params.accountId, input });
    return jsonResponse(toJson(page));
  },
  { name: "GET /api/v1/accounts/:accountId/accounts", params: accountParamsSchema },
);

/** Creates an account below this one; answers it with its owner's invitation token (shown once). */
export const POST = withActor(
  async ({ req, actor, params, log }) => {
    const account = await createAccount({ actor, parentId: params.accountId, input: await readJson(req) });
    const { token } = await createOwnerInvite({ actor, accountId: account.id });
    log.info("account created", { accountId: account.id, parentId: params.accountId });
    return jsonResponse({ account: toJson(account), ownerInviteToken: token }, { status: 201 });
  },
  { name: "POST /api/v1/accounts/:accountId/accounts", params: accountParamsSchema },
);
