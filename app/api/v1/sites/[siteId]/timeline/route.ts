import { siteParamsSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { getSiteTimeline } from "@/lib/services/site/site-timeline";

export const dynamic = "force-dynamic";

/** ?before=<next from the previous page>&limit=: the site's timeline, newest first. */
export const GET = withActor(
  async ({ req, actor, params }) => {
    const input = Object.fromEntries(req.nextUrl.searchParams);
    const timeline = await getSiteTimeline({ actor, siteId: params.siteId, input });
    return jsonResponse(timeline);
  },
  { name: "GET /api/v1/sites/:siteId/timeline", params: siteParamsSchema },
);
