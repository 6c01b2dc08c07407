import { z } from "zod";
import { idSchema } from "@/lib/api/params";
import { withActor } from "@/lib/api/with-actor";
import { detachDatabaseFromSite } from "@/lib/services/database/detach-database-from-site";

export const dynamic = "force-dynamic";

export const DELETE = withActor(
  async ({ actor, params }) => {
    await detachDatabaseFromSite({ actor, siteId: params.siteId, attachmentId: params.attachmentId });
    return new Response(null, { status: 204 });
  },
  {
    name: "DELETE /api/v1/sites/:siteId/databases/:attachmentId",
    params: z.object({ siteId: idSchema, attachmentId: idSchema }),
  },
);
