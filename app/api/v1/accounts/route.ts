import { toJson } from "@/lib/api/json";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";

export const dynamic = "force-dynamic";

/** ?q=&limit=&cursor= */
export const GET = withActor(
  async ({ req, actor }) => {
    const input = Object.fromEntries(req.nextUrl.searchParams);
    const page = await listMyAccounts({ actor, input });
    return jsonResponse(toJson(page));
  },
  { name: "GET /api/v1/accounts" },
);
