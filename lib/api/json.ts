import type { SiteDomainsView } from "@/lib/services/domain/domain-view";
import type { CronJobListView } from "@/lib/services/cron-job/list-cron-jobs";
import type { CronJobView } from "@/lib/services/cron-job/cron-job-view";
import type { AccountView, SiteView } from "@/lib/views";

/**
 * The shape a value has after JSON.stringify: what the browser receives from the REST API and what the
 * TanStack Query cache holds, whether the data came from a route handler, a server action or a page.
 */
export type Jsonify<T> = T extends Date
  ? string
  : T extends bigint
    ? string
    : T extends string | number | boolean | null | undefined
      ? T
      : T extends readonly (infer U)[]
        ? Jsonify<U>[]
        : T extends object
          ? { [K in keyof T]: Jsonify<T[K]> }
          : never;

export function toJson<T>(value: T): Jsonify<T> {
  return JSON.parse(
    JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)),
  ) as Jsonify<T>;
}

export type SiteJson = Jsonify<SiteView>;
export type AccountJson = Jsonify<AccountView>;
export type SitePhase = SiteView["phase"];
export type SiteDomainsJson = Jsonify<SiteDomainsView>;
export type DomainJson = SiteDomainsJson["domains"][number];

export function toSiteJson(site: SiteView): SiteJson {
  return toJson(site);
}

export function toAccountJson(account: AccountView): AccountJson {
  return toJson(account);
}

export function toSiteDomainsJson(view: SiteDomainsView): SiteDomainsJson {
  return toJson(view);
}

export type CronJobJson = Jsonify<CronJobView>;
export type CronJobListJson = Jsonify<CronJobListView>;

export function toCronJobJson(cronJob: CronJobView): CronJobJson {
  return toJson(cronJob);
}
