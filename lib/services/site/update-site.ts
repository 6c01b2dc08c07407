import { canUpdateSite } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { siteFootprint } from "@/lib/quota/site-footprint";
import { explainSiteResourceLimit } from "@/lib/quota/site-resource-limit";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { assertWithinLimits } from "@/lib/services/quota/assert-within-limits";
import { lockAccounts } from "@/lib/services/quota/lock-account";
import { chooseRuntime } from "@/lib/services/runtime/choose-runtime";
import { mergeEnvVars } from "@/lib/services/site/merge-env-vars";
import {
  settingsChangeSummary,
  siteResources,
  storedEnvVars,
  storedPhpSettings,
} from "@/lib/services/site/site-settings";
import { replicaLimit, updateSiteSchema } from "@/lib/validation/site-settings";
import { type SiteView, siteViewInclude, toSiteView } from "@/lib/views";

export const STALE_SETTINGS_MESSAGE =
  "This site was changed since you opened it. Reload to see the latest settings.";

export interface UpdateSiteOptions {
  actor: Actor;
  siteId: string;
  /** Untrusted: parsed here with updateSiteSchema whatever the caller already checked. */
  input: unknown;
}

function invalid(field: string, message: string): AppError {
  return new AppError("INVALID_INPUT", message, { [field]: message });
}

/**
 * Changes a site's settings (PHP version and php.ini, environment variables, resources). The
 * input carries the generation the form was opened at: a save against a site changed since is
 * refused with CONFLICT, and nothing is written. Within the plan (the site's new footprint plus
 * the other sites'), storage only grows. Bumps the generation and appends an UPDATED change
 * naming what changed (never a value of a variable) in one transaction; the reconciler then
 * renders the new settings and rolls the pods. A save that changes nothing writes nothing.
 */
export async function updateSite(options: UpdateSiteOptions): Promise<SiteView> {
  const { actor } = options;
  const { siteId, accountId } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canUpdateSite,
    action: "change site settings",
  });

  const parsed = updateSiteSchema.safeParse(options.input);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", fieldErrorsFromZod(parsed.error));
  }
  const input = parsed.data;

  const result = await prisma.$transaction(
    async (tx) => {
      // First, so that two saves on the account's sites check the plan one after the other.
      await lockAccounts(tx, [accountId]);
      const site = await tx.site.findFirst({ where: { id: siteId, accountId } });
      if (!site) throw new AppError("NOT_FOUND", "Site not found.");
      if (site.deletionRequestedAt) throw new AppError("CONFLICT", "This site is being deleted.");
      if (site.generation !== input.generation) throw new AppError("CONFLICT", STALE_SETTINGS_MESSAGE);

      const limit = replicaLimit(site.app);
      if (input.resources.replicas > limit.max) throw invalid("resources.replicas", limit.reason);
      if (input.resources.storageGiB < site.storageGiB) {
        throw invalid(
          "resources.storageGiB",
          `Storage cannot shrink: the site's volume has ${site.storageGiB} GiB and volumes only grow. Keep ${site.storageGiB} GiB or more.`,
        );
      }
      const phpVersion = await chooseRuntime(tx, input.phpVersion, { current: site.phpVersion });

      const before = {
        phpVersion: site.phpVersion,
        php: storedPhpSettings(site),
        env: storedEnvVars(site),
        resources: siteResources(site),
      };
      const after = {
        phpVersion,
        php: input.php,
        env: input.env === undefined ? before.env : mergeEnvVars(before.env, input.env),
        resources: input.resources,
      };
      const summary = settingsChangeSummary(before, after);
      if (Object.keys(summary).length === 0) return { site: null, summary };

      const from = siteFootprint(before.resources);
      const to = siteFootprint(after.resources);
      // Only growth is checked (checkAddition ignores what shrinks): a site over a lowered plan
      // can always be made smaller.
      await assertWithinLimits(tx, {
        accountId,
        adding: {
          cpuMillicores: to.cpuMillicores - from.cpuMillicores,
          memoryMiB: to.memoryMiB - from.memoryMiB,
          storageGiB: to.storageGiB - from.storageGiB,
        },
        // At the field at fault, with the most it may hold next to the other sites.
        explain: (violation) => {
          const refusal = explainSiteResourceLimit(violation, {
            before: before.resources,
            after: after.resources,
          });
          return refusal ? { message: refusal.message, field: `resources.${refusal.field}` } : undefined;
        },
      });

      // The generation guard makes a save that raced past the check above lose, not overwrite.
      const updated = await tx.site.updateMany({
        where: { id: siteId, accountId, generation: input.generation, deletionRequestedAt: null },
        data: {
          phpVersion,
          phpSettings: after.php,
          envVars: after.env as unknown as Prisma.InputJsonValue,
          ...after.resources,
          generation: { increment: 1 },
        },
      });
      if (updated.count !== 1) throw new AppError("CONFLICT", STALE_SETTINGS_MESSAGE);
      await appendChange(tx, {
        kind: "Site",
        objectId: siteId,
        accountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: { settings: summary } as Prisma.InputJsonValue,
      });
      return {
        site: await tx.site.findFirst({ where: { id: siteId, accountId }, include: siteViewInclude }),
        summary,
      };
    },
    { isolationLevel: "ReadCommitted" },
  );

  const site =
    result.site ??
    (await prisma.site.findFirst({ where: { id: siteId, accountId }, include: siteViewInclude }));
  if (!site) throw new AppError("NOT_FOUND", "Site not found.");
  if (result.site) {
    log.info("site settings updated", {
      event: "site.updated",
      siteId,
      accountId,
      userId: actor.userId,
      changed: Object.keys(result.summary),
    });
  }
  return toSiteView(site);
}
