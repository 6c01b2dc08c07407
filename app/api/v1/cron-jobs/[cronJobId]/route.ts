import { toCronJobJson } from "@/lib/api/json";
import { cronJobParamsSchema } from "@/lib/api/params";
import { jsonResponse, parseWith, readJson, withActor } from "@/lib/api/with-actor";
import { deleteCronJob } from "@/lib/services/cron-job/delete-cron-job";
import { getCronJob } from "@/lib/services/cron-job/get-cron-job";
import { updateCronJob } from "@/lib/services/cron-job/update-cron-job";
import { updateCronJobSchema } from "@/lib/validation/cron-job";

export const dynamic = "force-dynamic";

export const GET = withActor(
  async ({ actor, params }) => {
    const cronJob = await getCronJob({ actor, cronJobId: params.cronJobId });
    return jsonResponse({ cronJob: toCronJobJson(cronJob) });
  },
  { name: "GET /api/v1/cron-jobs/:cronJobId", params: cronJobParamsSchema },
);

/** Changes the fields sent (e.g. `{ "enabled": false }` pauses the job). */
export const PATCH = withActor(
  async ({ req, actor, params }) => {
    const input = parseWith(updateCronJobSchema, await readJson(req));
    const cronJob = await updateCronJob({ actor, cronJobId: params.cronJobId, input });
    return jsonResponse({ cronJob: toCronJobJson(cronJob) });
  },
  { name: "PATCH /api/v1/cron-jobs/:cronJobId", params: cronJobParamsSchema },
);

/** Deletion is asynchronous: 202 with the job in state DELETING; the reconciler removes it. */
export const DELETE = withActor(
  async ({ actor, params, log }) => {
    const cronJob = await deleteCronJob({ actor, cronJobId: params.cronJobId });
    log.info("cron job deletion requested", { cronJobId: cronJob.id });
    return jsonResponse({ cronJob: toCronJobJson(cronJob) }, { status: 202 });
  },
  { name: "DELETE /api/v1/cron-jobs/:cronJobId", params: cronJobParamsSchema },
);
