import { siteParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { attachDatabaseToSite } from "@/lib/services/database/attach-database-to-site";

export const dynamic = "force-dynamic";

/** { databaseId, userId, envPrefix? }: the site gets `<envPrefix>DB_HOST` ... in its environment. */
export const POST = withActor(
  async ({ req, actor, params }) => {
    const attachment = await attachDatabaseToSite({
      actor,
      siteId: params.siteId,
      input: await readJson(req),
    });
    return jsonResponse({ attachment }, { status: 201 });
  },
  { name: "POST /api/v1/sites/:siteId/databases", params: siteParamsSchema },
);
