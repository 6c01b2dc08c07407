import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { searchPlatform } from "@/lib/services/platform/search-platform";

export const dynamic = "force-dynamic";

/** The platform operator's search: GET /api/v1/search?q=acme, results grouped by kind. */
export const GET = withActor(
  async ({ req, actor }) => {
    const results = await searchPlatform({ actor, input: { q: req.nextUrl.searchParams.get("q") ?? "" } });
    return jsonResponse({ results });
  },
  { name: "GET /api/v1/search" },
);
