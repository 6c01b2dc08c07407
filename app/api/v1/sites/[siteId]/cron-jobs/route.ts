import { toCronJobJson, toJson } from "@/lib/api/json";
import { siteParamsSchema } from "@/lib/api/params";
import { jsonResponse, parseWith, readJson, withActor } from "@/lib/api/with-actor";
import { createCronJob } from "@/lib/services/cron-job/create-cron-job";
import { listCronJobs } from "@/lib/services/cron-job/list-cron-jobs";
import { createCronJobSchema } from "@/lib/validation/cron-job";

export const dynamic = "force-dynamic";

/** The site's cron jobs, its built-in ones (WordPress's wp-cron) and the account's plan usage. */
export const GET = withActor(
  async ({ actor, params }) => {
    const list = await listCronJobs({ actor, siteId: params.siteId });
    return jsonResponse(toJson(list));
  },
  { name: "GET /api/v1/sites/:siteId/cron-jobs", params: siteParamsSchema },
);

/** 201 with the job; the reconciler creates its CronJob and reports on it in `conditions`. */
export const POST = withActor(
  async ({ req, actor, params, log }) => {
    const input = parseWith(createCronJobSchema, await readJson(req));
    const cronJob = await createCronJob({ actor, siteId: params.siteId, input });
    log.info("cron job created", { cronJobId: cronJob.id, siteId: params.siteId });
    return jsonResponse({ cronJob: toCronJobJson(cronJob) }, { status: 201 });
  },
  { name: "POST /api/v1/sites/:siteId/cron-jobs", params: siteParamsSchema },
);
