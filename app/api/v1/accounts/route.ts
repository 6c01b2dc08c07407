import { toAccountJson } from "@/lib/api/json";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";

export const dynamic = "force-dynamic";

export const GET = withActor(
  async ({ actor }) => {
    const accounts = await listMyAccounts({ actor });
    return jsonResponse({ accounts: accounts.map(toAccountJson) });
  },
  { name: "GET /api/v1/accounts" },
);
