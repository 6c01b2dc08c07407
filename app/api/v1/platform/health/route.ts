import { toJson } from "@/lib/api/json";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { getPlatformHealth } from "@/lib/services/platform/get-platform-health";

export const dynamic = "force-dynamic";

/** The platform operator's: reconciler, cluster, sites by phase, degraded sites, database servers. */
export const GET = withActor(
  async ({ actor }) => {
    const health = await getPlatformHealth({ actor });
    return jsonResponse({ health: toJson(health) });
  },
  { name: "GET /api/v1/platform/health" },
);
