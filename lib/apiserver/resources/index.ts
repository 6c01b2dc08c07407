import { accountResource } from "./account";
import { cronJobResource } from "./cron-job";
import { databaseResource, databaseUserResource } from "./database";
import { domainResource } from "./domain";
import type { AnyResource } from "./resource";
import { siteResource } from "./site";

/** Every kind of hosting.sitepod.io/v1alpha1, in discovery order. */
export const RESOURCES: readonly AnyResource[] = [
  siteResource,
  domainResource,
  databaseResource,
  databaseUserResource,
  cronJobResource,
  accountResource,
];
