import { canManageCronJobs, canViewSite } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";
import { measureUsage } from "@/lib/services/quota/measure-usage";
import { type BuiltInCronJobView, builtInCronJobs } from "./built-in-cron-jobs";
import { type CronJobView, toCronJobView } from "./cron-job-view";

export interface CronJobListView {
  cronJobs: CronJobView[];
  /** Jobs Sitepod runs for the site (WordPress's wp-cron); not CronJob rows, not counted. */
  builtIn: BuiltInCronJobView[];
  /** The account's cron jobs (all its sites') against its plan; limit null: no plan, no limit. */
  usage: { used: number; limit: number | null; planName: string | null };
  /** The caller may create, change and delete them (the panel shows the controls only then). */
  canManage: boolean;
}

/** The site's cron jobs by name (those being deleted too), its built-in jobs and the plan usage. */
export async function listCronJobs(options: { actor: Actor; siteId: string }): Promise<CronJobListView> {
  const { siteId, accountId, role } = await authorizeSite({
    actor: options.actor,
    siteId: options.siteId,
    permission: canViewSite,
    action: "view this site",
  });
  return prisma.$transaction(async (tx) => {
    const site = await tx.site.findFirst({
      where: { id: siteId, accountId },
      select: {
        app: true,
        installedAt: true,
        account: { select: { status: true, plan: { select: { name: true, maxCronJobs: true } } } },
      },
    });
    if (!site) throw new AppError("NOT_FOUND", "Site not found.");
    const rows = await tx.cronJob.findMany({ where: { siteId, accountId }, orderBy: [{ name: "asc" }] });
    const usage = await measureUsage(tx, accountId);
    return {
      cronJobs: rows.map(toCronJobView),
      builtIn: builtInCronJobs({
        id: siteId,
        app: site.app,
        installedAt: site.installedAt,
        accountSuspended: site.account.status === "SUSPENDED",
      }),
      usage: {
        used: usage.maxCronJobs,
        limit: site.account.plan?.maxCronJobs ?? null,
        planName: site.account.plan?.name ?? null,
      },
      canManage: canManageCronJobs(role),
    };
  });
}
