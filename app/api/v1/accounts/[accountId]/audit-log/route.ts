import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { listAuditLog } from "@/lib/services/audit-log/list-audit-log";

export const dynamic = "force-dynamic";

/** ?before=<resourceVersion>&limit=: newest first; pass the last entry's resourceVersion for more. */
export const GET = withActor(
  async ({ req, actor, params }) => {
    const input = Object.fromEntries(req.nextUrl.searchParams);
    const entries = await listAuditLog({ actor, accountId: params.accountId, input });
    return jsonResponse({ entries });
  },
  { name: "GET /api/v1/accounts/:accountId/audit-log", params: accountParamsSchema },
);
