/**
 * Every operation of the REST API under /api/v1, declared once: its method and path, what it does,
 * and the zod schemas its handler and service parse the request with (the same exported constants,
 * so the document cannot describe a field the code does not read). document.ts turns this list
 * into the OpenAPI document; openapi.test.ts fails when a route file under app/api/v1 exports a
 * method that is not here, or this list names one that does not exist.
 */
import { z } from "zod";
import {
  accountParamsSchema,
  cronJobParamsSchema,
  idSchema,
  siteDomainParamsSchema,
  siteParamsSchema,
} from "@/lib/api/params";
import type { AppErrorCode } from "@/lib/errors";
import {
  accountOverviewQuerySchema,
  assignPlanSchema,
  bulkSuspendAccountsSchema,
  bulkUnsuspendAccountsSchema,
  createAccountSchema,
  listAuditLogSchema,
  listDescendantAccountsSchema,
  listMyAccountsSchema,
  requestAccountTerminationSchema,
  suspendAccountSchema,
} from "@/lib/validation/account";
import { apiTokenParamsSchema, createApiTokenSchema } from "@/lib/validation/api-token";
import { brandLogoSchema, updateBrandSchema } from "@/lib/validation/brand";
import { listClientSitesSchema } from "@/lib/validation/client-sites";
import { createCronJobSchema, updateCronJobSchema } from "@/lib/validation/cron-job";
import {
  attachDatabaseSchema,
  confirmDeletionSchema,
  createDatabaseSchema,
  createDatabaseServerSchema,
  createDatabaseUserSchema,
  grantSchema,
  updateDatabaseServerSchema,
} from "@/lib/validation/database";
import { addDomainSchema, siteRoutingSchema, updateDomainSchema } from "@/lib/validation/domain";
import { acceptInviteSchema, createInviteSchema, transferOwnershipSchema } from "@/lib/validation/membership";
import { createPlanSchema, listPlansQuerySchema, updatePlanSchema } from "@/lib/validation/plan";
import { searchSchema } from "@/lib/validation/search";
import { endSessionSchema } from "@/lib/validation/session";
import { createSiteSchema } from "@/lib/validation/site";
import { updateSiteSchema } from "@/lib/validation/site-settings";
import { siteTimelineSchema } from "@/lib/validation/timeline";
import { twoFactorPolicySchema } from "@/lib/validation/two-factor";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The groups of the reference, in the order it shows them. */
export const API_TAGS = [
  { name: "Accounts", description: "The accounts the caller belongs to and the accounts below them." },
  { name: "Members", description: "Who belongs to an account, invitations and ownership." },
  { name: "Sites", description: "Sites, their settings, DNS and timeline." },
  { name: "Domains", description: "The domains a site answers on and how it routes them." },
  { name: "Cron jobs", description: "Scheduled commands in a site's container." },
  { name: "Databases", description: "MariaDB databases, their users, grants and the servers they live on." },
  { name: "Plans", description: "A provider's catalogue of plans and the plan of each account below it." },
  { name: "Branding", description: "A reseller's white label." },
  {
    name: "Platform",
    description:
      "The platform operator's own tools: the platform's health and the search across every account.",
  },
  { name: "API tokens", description: "Tokens for scripts and tools (created in the panel only)." },
  { name: "Your user", description: "The signed-in user's own sessions and two-factor sign-in." },
  { name: "Events", description: "Live updates as a server-sent event stream." },
  { name: "Meta", description: "This document." },
] as const;
export type ApiTag = (typeof API_TAGS)[number]["name"];

export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI template: `/api/v1/sites/{siteId}`; each `{name}` is a `[name]` folder of the route. */
  path: string;
  operationId: string;
  tag: ApiTag;
  summary: string;
  description?: string;
  /** The schema withActor validates the path parameters with. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** The JSON body the handler or its service parses. */
  body?: z.ZodType;
  success: {
    status: number;
    description: string;
    /** Default application/json; null for an empty answer (204). */
    contentType?: string | null;
  };
  /** Errors beyond those every operation of its kind can answer (document.ts adds those). */
  errors?: readonly AppErrorCode[];
  /** Only with the session cookie: an API token is refused with FORBIDDEN. */
  sessionOnly?: boolean;
  /** Open to anonymous callers: no authentication at all. */
  public?: boolean;
}

const tokenIdParams = apiTokenParamsSchema;
const inviteParams = z.object({ accountId: idSchema, inviteId: idSchema });
const memberParams = z.object({ accountId: idSchema, userId: idSchema });
const databaseParams = z.object({ databaseId: idSchema });
const grantParams = z.object({ databaseId: idSchema, databaseUserId: idSchema });
const databaseUserParams = z.object({ databaseUserId: idSchema });
const serverParams = z.object({ serverId: idSchema });
const planParams = z.object({ planId: idSchema });
const attachmentParams = z.object({ siteId: idSchema, attachmentId: idSchema });
const userParams = z.object({ userId: idSchema });
/** ?since=: the resourceVersion to resume after (a browser sends Last-Event-ID instead). */
const eventsQuerySchema = z.object({
  since: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional()
    .describe("The resourceVersion to resume after; the Last-Event-ID header takes precedence."),
});

const LOGO_TYPES = "image/png, image/jpeg, image/webp or image/svg+xml";

export const API_OPERATIONS: readonly ApiOperation[] = [
  // Accounts
  {
    method: "GET",
    path: "/api/v1/accounts",
    operationId: "listMyAccounts",
    tag: "Accounts",
    summary: "List and search the accounts you reach",
    description:
      "The accounts you belong to and every account below them, by name, one page at a time; `q` matches a name or slug.",
    query: listMyAccountsSchema,
    success: {
      status: 200,
      description:
        "`{ accounts, nextCursor }`: each with your role on it; pass `nextCursor` as `cursor` for the next page (null on the last).",
    },
  },
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/accounts",
    operationId: "listDescendantAccounts",
    tag: "Accounts",
    summary: "List the accounts below an account",
    description:
      "The accounts below this one at any depth, in tree order (each right after its parent, its subtree before its next sibling), one page at a time.",
    params: accountParamsSchema,
    query: listDescendantAccountsSchema,
    success: {
      status: 200,
      description:
        "`{ accounts, nextCursor }`: each with its `depth` below this account; pass `nextCursor` as `cursor` for the next page (null on the last).",
    },
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/accounts",
    operationId: "createAccount",
    tag: "Accounts",
    summary: "Create an account below an account",
    description: "Answers the account with its owner's invitation token, shown once.",
    params: accountParamsSchema,
    body: createAccountSchema,
    success: { status: 201, description: "`{ account, ownerInviteToken }`." },
    errors: ["CONFLICT", "LIMIT_EXCEEDED"],
  },
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/accounts/overview",
    operationId: "listAccountOverview",
    tag: "Accounts",
    summary: "One page of the accounts below, with owner, plan, usage and status",
    description: "`q` searches names, short names and owners' email addresses.",
    params: accountParamsSchema,
    query: accountOverviewQuerySchema,
    success: { status: 200, description: "One page of accounts and the total." },
  },
  {
    method: "PUT",
    path: "/api/v1/accounts/{accountId}/accounts/suspension",
    operationId: "bulkSuspendAccounts",
    tag: "Accounts",
    summary: "Suspend several accounts below an account",
    description:
      "Some may fail (already suspended) while the others go: the answer has a result per account.",
    params: accountParamsSchema,
    body: bulkSuspendAccountsSchema,
    success: { status: 200, description: "A result per account: `ok`, or `code` and `message`." },
  },
  {
    method: "DELETE",
    path: "/api/v1/accounts/{accountId}/accounts/suspension",
    operationId: "bulkUnsuspendAccounts",
    tag: "Accounts",
    summary: "Lift the suspension of several accounts below an account",
    params: accountParamsSchema,
    body: bulkUnsuspendAccountsSchema,
    success: { status: 200, description: "A result per account: `ok`, or `code` and `message`." },
  },
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/audit-log",
    operationId: "listAuditLog",
    tag: "Accounts",
    summary: "Read an account's audit log",
    description: "Newest first; pass the last entry's resourceVersion as `before` for the next page.",
    params: accountParamsSchema,
    query: listAuditLogSchema,
    success: { status: 200, description: "`{ entries }`." },
  },
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/client-sites",
    operationId: "listClientSites",
    tag: "Accounts",
    summary: "List the sites of every account below an account",
    params: accountParamsSchema,
    query: listClientSitesSchema,
    success: { status: 200, description: "One page of sites with their account, and the total." },
  },
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/quota",
    operationId: "getAccountQuota",
    tag: "Accounts",
    summary: "Read an account's plan limits and usage",
    params: accountParamsSchema,
    success: { status: 200, description: "The limits and what is used of each." },
  },
  {
    method: "PUT",
    path: "/api/v1/accounts/{accountId}/suspension",
    operationId: "suspendAccount",
    tag: "Accounts",
    summary: "Suspend an account (its provider only)",
    params: accountParamsSchema,
    body: suspendAccountSchema,
    success: { status: 200, description: "`{ account }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "DELETE",
    path: "/api/v1/accounts/{accountId}/suspension",
    operationId: "unsuspendAccount",
    tag: "Accounts",
    summary: "Lift an account's suspension (its provider only)",
    params: accountParamsSchema,
    success: { status: 200, description: "`{ account }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/termination",
    operationId: "requestAccountTermination",
    tag: "Accounts",
    summary: "Terminate an account for good (its provider only)",
    description:
      "Asynchronous: the account's sites, databases and accounts below are removed by the reconciler.",
    params: accountParamsSchema,
    body: requestAccountTerminationSchema,
    success: { status: 202, description: "`{ account }`, being terminated." },
    errors: ["CONFLICT"],
  },
  {
    method: "PUT",
    path: "/api/v1/accounts/{accountId}/two-factor-policy",
    operationId: "setTwoFactorPolicy",
    tag: "Accounts",
    summary: "Require two-factor sign-in in an account and below",
    params: accountParamsSchema,
    body: twoFactorPolicySchema,
    success: { status: 200, description: "`{ policy }`." },
  },
  // Members
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/members",
    operationId: "listMembers",
    tag: "Members",
    summary: "List an account's members and pending invitations",
    params: accountParamsSchema,
    success: { status: 200, description: "The members with their roles, and the pending invitations." },
  },
  {
    method: "DELETE",
    path: "/api/v1/accounts/{accountId}/members/{userId}",
    operationId: "removeMember",
    tag: "Members",
    summary: "Remove a member from an account",
    params: memberParams,
    success: { status: 204, description: "Removed.", contentType: null },
    errors: ["CONFLICT"],
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/invites",
    operationId: "createInvite",
    tag: "Members",
    summary: "Invite someone to an account",
    description: "The invitation's token is not stored: it is in this answer only.",
    params: accountParamsSchema,
    body: createInviteSchema,
    success: { status: 201, description: "The invitation and its token." },
    errors: ["CONFLICT", "UNAVAILABLE"],
  },
  {
    method: "DELETE",
    path: "/api/v1/accounts/{accountId}/invites/{inviteId}",
    operationId: "revokeInvite",
    tag: "Members",
    summary: "Revoke a pending invitation",
    params: inviteParams,
    success: { status: 204, description: "Revoked: its link stops working.", contentType: null },
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/invites/{inviteId}/resend",
    operationId: "resendInvite",
    tag: "Members",
    summary: "Mail a pending invitation again, with a new link",
    description: "The previous link stops working.",
    params: inviteParams,
    success: { status: 200, description: "The invitation and its new token, shown once." },
    errors: ["UNAVAILABLE"],
  },
  {
    method: "PUT",
    path: "/api/v1/accounts/{accountId}/ownership",
    operationId: "transferOwnership",
    tag: "Members",
    summary: "Hand the account to another member (its owner only)",
    params: accountParamsSchema,
    body: transferOwnershipSchema,
    success: { status: 200, description: "`{ ok: true }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "POST",
    path: "/api/v1/invites/accept",
    operationId: "acceptInvite",
    tag: "Members",
    summary: "Join the account of an invitation",
    body: acceptInviteSchema,
    success: { status: 200, description: "The account joined." },
    errors: ["CONFLICT"],
    sessionOnly: true,
  },
  // Sites
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/sites",
    operationId: "listSites",
    tag: "Sites",
    summary: "List an account's sites",
    params: accountParamsSchema,
    success: { status: 200, description: "`{ sites }`." },
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/sites",
    operationId: "createSite",
    tag: "Sites",
    summary: "Create a site",
    description:
      "The site starts PROVISIONING; the reconciler makes it RUNNING. For a WordPress site, `wordpressAdmin` carries the admin password, in this answer only.",
    params: accountParamsSchema,
    body: createSiteSchema,
    success: { status: 201, description: "`{ site, wordpressAdmin }`." },
    errors: ["CONFLICT", "LIMIT_EXCEEDED"],
  },
  {
    method: "GET",
    path: "/api/v1/sites/{siteId}",
    operationId: "getSite",
    tag: "Sites",
    summary: "Read a site",
    params: siteParamsSchema,
    success: { status: 200, description: "`{ site }`, with its `settings`." },
  },
  {
    method: "PATCH",
    path: "/api/v1/sites/{siteId}",
    operationId: "updateSite",
    tag: "Sites",
    summary: "Change a site's settings",
    description:
      "The body is the whole settings form as GET answers it under `settings`, with the `generation` it was read at: 409 CONFLICT when the site changed since. A secret variable sent without `value` keeps its stored one; `env` left out keeps every variable. Applying is asynchronous: `generation` is ahead of `observedGeneration` until the reconciler has rolled the pods.",
    params: siteParamsSchema,
    body: updateSiteSchema,
    success: { status: 200, description: "`{ site }`." },
    errors: ["CONFLICT", "LIMIT_EXCEEDED"],
  },
  {
    method: "DELETE",
    path: "/api/v1/sites/{siteId}",
    operationId: "deleteSite",
    tag: "Sites",
    summary: "Delete a site",
    description: "Asynchronous: the site is DELETING until the reconciler has removed it.",
    params: siteParamsSchema,
    success: { status: 202, description: "`{ site }` in phase DELETING." },
    errors: ["CONFLICT"],
  },
  {
    method: "GET",
    path: "/api/v1/sites/{siteId}/dns",
    operationId: "checkSiteDns",
    tag: "Sites",
    summary: "Check the DNS records of a site's domains",
    description:
      "The records to create for each domain, and whether each already points at the platform, looked up now.",
    params: siteParamsSchema,
    success: { status: 200, description: "A result per domain." },
  },
  {
    method: "GET",
    path: "/api/v1/sites/{siteId}/timeline",
    operationId: "getSiteTimeline",
    tag: "Sites",
    summary: "Read a site's timeline",
    description: "Newest first; pass `next` of the previous page as `before`.",
    params: siteParamsSchema,
    query: siteTimelineSchema,
    success: { status: 200, description: "`{ entries, next }`." },
  },
  {
    method: "POST",
    path: "/api/v1/sites/{siteId}/databases",
    operationId: "attachDatabaseToSite",
    tag: "Sites",
    summary: "Attach a database to a site",
    description: "The site gets `<envPrefix>DB_HOST` and the other connection variables in its environment.",
    params: siteParamsSchema,
    body: attachDatabaseSchema,
    success: { status: 201, description: "`{ attachment }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "DELETE",
    path: "/api/v1/sites/{siteId}/databases/{attachmentId}",
    operationId: "detachDatabaseFromSite",
    tag: "Sites",
    summary: "Detach a database from a site",
    params: attachmentParams,
    success: { status: 204, description: "Detached.", contentType: null },
  },
  // Domains
  {
    method: "GET",
    path: "/api/v1/sites/{siteId}/domains",
    operationId: "listDomains",
    tag: "Domains",
    summary: "List a site's domains",
    description:
      "Hostnames in punycode and unicode, which is primary, redirects, TLS status, and the plan's usage.",
    params: siteParamsSchema,
    success: { status: 200, description: "The site's domains." },
  },
  {
    method: "POST",
    path: "/api/v1/sites/{siteId}/domains",
    operationId: "addDomain",
    tag: "Domains",
    summary: "Add a domain to a site",
    params: siteParamsSchema,
    body: addDomainSchema,
    success: { status: 201, description: "The site's domains as they are now." },
    errors: ["CONFLICT", "LIMIT_EXCEEDED"],
  },
  {
    method: "PATCH",
    path: "/api/v1/sites/{siteId}/domains/{domainId}",
    operationId: "updateDomain",
    tag: "Domains",
    summary: "Make a domain primary, or change whether it redirects",
    params: siteDomainParamsSchema,
    body: updateDomainSchema,
    success: { status: 200, description: "The site's domains." },
    errors: ["CONFLICT"],
  },
  {
    method: "DELETE",
    path: "/api/v1/sites/{siteId}/domains/{domainId}",
    operationId: "removeDomain",
    tag: "Domains",
    summary: "Remove a domain from a site",
    description: "The primary (and so the last) domain cannot be removed: 409 says what to do first.",
    params: siteDomainParamsSchema,
    success: { status: 200, description: "The site's domains." },
    errors: ["CONFLICT"],
  },
  {
    method: "PATCH",
    path: "/api/v1/sites/{siteId}/routing",
    operationId: "setForceHttps",
    tag: "Domains",
    summary: "Redirect a site's plain HTTP to HTTPS, or stop",
    params: siteParamsSchema,
    body: siteRoutingSchema,
    success: { status: 200, description: "The site's domains." },
  },
  // Cron jobs
  {
    method: "GET",
    path: "/api/v1/sites/{siteId}/cron-jobs",
    operationId: "listCronJobs",
    tag: "Cron jobs",
    summary: "List a site's cron jobs",
    description: "Its own jobs, its built-in ones (WordPress's wp-cron) and the plan's usage.",
    params: siteParamsSchema,
    success: { status: 200, description: "The jobs and usage." },
  },
  {
    method: "POST",
    path: "/api/v1/sites/{siteId}/cron-jobs",
    operationId: "createCronJob",
    tag: "Cron jobs",
    summary: "Create a cron job",
    description: "The reconciler creates its CronJob and reports on it in `conditions`.",
    params: siteParamsSchema,
    body: createCronJobSchema,
    success: { status: 201, description: "`{ cronJob }`." },
    errors: ["CONFLICT", "LIMIT_EXCEEDED"],
  },
  {
    method: "GET",
    path: "/api/v1/cron-jobs/{cronJobId}",
    operationId: "getCronJob",
    tag: "Cron jobs",
    summary: "Read a cron job",
    params: cronJobParamsSchema,
    success: { status: 200, description: "`{ cronJob }`." },
  },
  {
    method: "PATCH",
    path: "/api/v1/cron-jobs/{cronJobId}",
    operationId: "updateCronJob",
    tag: "Cron jobs",
    summary: "Change a cron job",
    description: 'Changes the fields sent (`{ "enabled": false }` pauses the job).',
    params: cronJobParamsSchema,
    body: updateCronJobSchema,
    success: { status: 200, description: "`{ cronJob }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "DELETE",
    path: "/api/v1/cron-jobs/{cronJobId}",
    operationId: "deleteCronJob",
    tag: "Cron jobs",
    summary: "Delete a cron job",
    description: "Asynchronous: the job is DELETING until the reconciler has removed it.",
    params: cronJobParamsSchema,
    success: { status: 202, description: "`{ cronJob }` in state DELETING." },
    errors: ["CONFLICT"],
  },
  // Databases
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/databases",
    operationId: "listDatabases",
    tag: "Databases",
    summary: "List an account's databases and database users",
    description: "With the servers they can go on and the plan's usage.",
    params: accountParamsSchema,
    success: { status: 200, description: "Databases, users, servers and usage." },
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/databases",
    operationId: "createDatabase",
    tag: "Databases",
    summary: "Create a database",
    description: "PROVISIONING until the reconciler has created it on its server.",
    params: accountParamsSchema,
    body: createDatabaseSchema,
    success: { status: 201, description: "`{ database }`." },
    errors: ["CONFLICT", "LIMIT_EXCEEDED"],
  },
  {
    method: "GET",
    path: "/api/v1/databases/{databaseId}",
    operationId: "getDatabase",
    tag: "Databases",
    summary: "Read a database",
    params: databaseParams,
    success: { status: 200, description: "`{ database }`." },
  },
  {
    method: "DELETE",
    path: "/api/v1/databases/{databaseId}",
    operationId: "deleteDatabase",
    tag: "Databases",
    summary: "Delete a database",
    description:
      "Send its full name as `confirm`. Asynchronous: DELETING until the reconciler has dropped it.",
    params: databaseParams,
    body: confirmDeletionSchema,
    success: { status: 202, description: "`{ database }` in state DELETING." },
    errors: ["CONFLICT"],
  },
  {
    method: "POST",
    path: "/api/v1/databases/{databaseId}/grants",
    operationId: "grantDatabaseAccess",
    tag: "Databases",
    summary: "Give a database user ALL privileges on a database",
    params: databaseParams,
    body: grantSchema,
    success: { status: 201, description: "`{ database }` with its grants." },
    errors: ["CONFLICT"],
  },
  {
    method: "DELETE",
    path: "/api/v1/databases/{databaseId}/grants/{databaseUserId}",
    operationId: "revokeDatabaseAccess",
    tag: "Databases",
    summary: "Revoke a database user's access to a database",
    description: "Asynchronous: the reconciler revokes the grant on the server, then removes it.",
    params: grantParams,
    success: { status: 202, description: "`{ database }`." },
  },
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/database-users",
    operationId: "listDatabaseUsers",
    tag: "Databases",
    summary: "List an account's database users",
    params: accountParamsSchema,
    success: { status: 200, description: "`{ users }`." },
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/database-users",
    operationId: "createDatabaseUser",
    tag: "Databases",
    summary: "Create a database user",
    description: "Its generated password is in this answer only.",
    params: accountParamsSchema,
    body: createDatabaseUserSchema,
    success: { status: 201, description: "`{ user, password }`." },
    errors: ["CONFLICT", "LIMIT_EXCEEDED"],
  },
  {
    method: "DELETE",
    path: "/api/v1/database-users/{databaseUserId}",
    operationId: "deleteDatabaseUser",
    tag: "Databases",
    summary: "Delete a database user",
    description: "Asynchronous: DELETING until the reconciler has dropped it on its server.",
    params: databaseUserParams,
    success: { status: 202, description: "`{ user }` in state DELETING." },
    errors: ["CONFLICT"],
  },
  {
    method: "POST",
    path: "/api/v1/database-users/{databaseUserId}/password",
    operationId: "resetDatabaseUserPassword",
    tag: "Databases",
    summary: "Generate a new password for a database user",
    description: "The password is in this answer only; 409 while the user is being deleted.",
    params: databaseUserParams,
    success: { status: 200, description: "`{ user, password }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "GET",
    path: "/api/v1/database-servers",
    operationId: "listDatabaseServers",
    tag: "Databases",
    summary: "List the database servers (platform operator)",
    description: "Never an admin password.",
    success: { status: 200, description: "`{ servers }`." },
  },
  {
    method: "POST",
    path: "/api/v1/database-servers",
    operationId: "createDatabaseServer",
    tag: "Databases",
    summary: "Register a database server (platform operator)",
    body: createDatabaseServerSchema,
    success: { status: 201, description: "`{ server }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "PATCH",
    path: "/api/v1/database-servers/{serverId}",
    operationId: "updateDatabaseServer",
    tag: "Databases",
    summary: "Change a database server (platform operator)",
    description: "A missing `adminPassword` keeps the stored one.",
    params: serverParams,
    body: updateDatabaseServerSchema,
    success: { status: 200, description: "`{ server }`." },
    errors: ["CONFLICT"],
  },
  // Plans
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/plans",
    operationId: "listPlans",
    tag: "Plans",
    summary: "List a provider's plans",
    description: "Archived plans included (each with `archivedAt`), unless `offered=true`.",
    params: accountParamsSchema,
    query: listPlansQuerySchema,
    success: { status: 200, description: "`{ plans }`." },
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/plans",
    operationId: "createPlan",
    tag: "Plans",
    summary: "Create a plan",
    params: accountParamsSchema,
    body: createPlanSchema,
    success: { status: 201, description: "`{ plan }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "PATCH",
    path: "/api/v1/plans/{planId}",
    operationId: "updatePlan",
    tag: "Plans",
    summary: "Change a plan",
    params: planParams,
    body: updatePlanSchema,
    success: { status: 200, description: "`{ plan }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "DELETE",
    path: "/api/v1/plans/{planId}",
    operationId: "deletePlan",
    tag: "Plans",
    summary: "Delete a plan no account is on",
    description: "409 naming how many accounts are on it, otherwise.",
    params: planParams,
    success: { status: 200, description: "`{ plan }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "PUT",
    path: "/api/v1/plans/{planId}/archive",
    operationId: "archivePlan",
    tag: "Plans",
    summary: "Archive a plan",
    description: "Send `{}`. The accounts on it keep it; it is no longer offered.",
    params: planParams,
    success: { status: 200, description: "`{ plan }`." },
  },
  {
    method: "DELETE",
    path: "/api/v1/plans/{planId}/archive",
    operationId: "unarchivePlan",
    tag: "Plans",
    summary: "Offer an archived plan again",
    params: planParams,
    success: { status: 200, description: "`{ plan }`." },
  },
  {
    method: "PUT",
    path: "/api/v1/accounts/{accountId}/plan",
    operationId: "assignPlan",
    tag: "Plans",
    summary: "Put an account on a plan (its provider only)",
    description: "`planId: null` takes it off any plan.",
    params: accountParamsSchema,
    body: assignPlanSchema,
    success: { status: 200, description: "`{ account }`." },
    errors: ["CONFLICT", "LIMIT_EXCEEDED"],
  },
  // Branding
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/brand",
    operationId: "getBrand",
    tag: "Branding",
    summary: "Read a reseller's white label",
    params: accountParamsSchema,
    success: { status: 200, description: "`{ brand }`, null while it has none." },
  },
  {
    method: "PUT",
    path: "/api/v1/accounts/{accountId}/brand",
    operationId: "updateBrand",
    tag: "Branding",
    summary: "Set a reseller's white label",
    description: "The accounts below the reseller see it.",
    params: accountParamsSchema,
    body: updateBrandSchema,
    success: { status: 200, description: "`{ brand }`." },
    errors: ["CONFLICT"],
  },
  {
    method: "DELETE",
    path: "/api/v1/accounts/{accountId}/brand",
    operationId: "removeBrand",
    tag: "Branding",
    summary: "Remove a reseller's white label",
    params: accountParamsSchema,
    success: { status: 200, description: "`{ brand: null }`." },
  },
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/brand/logo",
    operationId: "getBrandLogo",
    tag: "Branding",
    summary: "Download the logo of an account's brand",
    description: "Its URL carries the logo's version (`?v=`), so a browser may keep it.",
    params: accountParamsSchema,
    success: { status: 200, description: `The image (${LOGO_TYPES}).`, contentType: "image/*" },
  },
  {
    method: "PUT",
    path: "/api/v1/accounts/{accountId}/brand/logo",
    operationId: "setBrandLogo",
    tag: "Branding",
    summary: "Upload a reseller's logo",
    description: "PNG, JPEG, WebP or SVG (no scripts), base64, at most 256 KiB.",
    params: accountParamsSchema,
    body: brandLogoSchema,
    success: { status: 200, description: "`{ brand }`." },
  },
  {
    method: "DELETE",
    path: "/api/v1/accounts/{accountId}/brand/logo",
    operationId: "removeBrandLogo",
    tag: "Branding",
    summary: "Remove a reseller's logo",
    params: accountParamsSchema,
    success: { status: 200, description: "`{ brand }`." },
  },
  {
    method: "GET",
    path: "/api/v1/panel-brand/logo",
    operationId: "getPanelBrandLogo",
    tag: "Branding",
    summary: "Download the logo for a reseller's own panel hostname",
    description:
      "For the sign-in page on a reseller's hostname (the request's Host header); any other host answers 404.",
    success: { status: 200, description: `The image (${LOGO_TYPES}).`, contentType: "image/*" },
    errors: ["NOT_FOUND"],
    public: true,
  },
  // API tokens
  {
    method: "GET",
    path: "/api/v1/accounts/{accountId}/api-tokens",
    operationId: "listApiTokens",
    tag: "API tokens",
    summary: "List an account's API tokens",
    description: "Your own, or everyone's for owners and admins. Never secrets.",
    params: accountParamsSchema,
    success: { status: 200, description: "The tokens." },
    sessionOnly: true,
  },
  {
    method: "POST",
    path: "/api/v1/accounts/{accountId}/api-tokens",
    operationId: "createApiToken",
    tag: "API tokens",
    summary: "Create an API token",
    description:
      "With a role no higher than yours. Its `secret` is in this answer only; only a hash is stored.",
    params: accountParamsSchema,
    body: createApiTokenSchema,
    success: { status: 201, description: "The token and its `secret`." },
    errors: ["LIMIT_EXCEEDED"],
    sessionOnly: true,
  },
  {
    method: "DELETE",
    path: "/api/v1/api-tokens/{tokenId}",
    operationId: "revokeApiToken",
    tag: "API tokens",
    summary: "Revoke an API token",
    description: "At once; its creator, or the account's owners and admins.",
    params: tokenIdParams,
    success: { status: 200, description: "`{ revoked }`." },
    sessionOnly: true,
  },
  // Your user
  {
    method: "GET",
    path: "/api/v1/user/sessions",
    operationId: "listUserSessions",
    tag: "Your user",
    summary: "List your live sessions",
    description: "`current` marks the one making this request.",
    success: { status: 200, description: "`{ sessions }`." },
    sessionOnly: true,
  },
  {
    method: "DELETE",
    path: "/api/v1/user/sessions/{sessionId}",
    operationId: "endUserSession",
    tag: "Your user",
    summary: "End one of your sessions",
    description: "Another user's session answers 404, like a made-up id.",
    params: endSessionSchema,
    success: { status: 204, description: "Ended.", contentType: null },
    sessionOnly: true,
  },
  {
    method: "DELETE",
    path: "/api/v1/users/{userId}/two-factor",
    operationId: "resetUserTwoFactor",
    tag: "Your user",
    summary: "Turn a user's two-factor sign-in off (platform operator)",
    params: userParams,
    success: { status: 200, description: "`{ reset }`." },
    sessionOnly: true,
  },
  // Events
  {
    method: "GET",
    path: "/api/v1/events",
    operationId: "streamEvents",
    tag: "Events",
    summary: "Stream the changes you may see",
    description:
      "A server-sent event stream: each change is an event `change` whose id is its resourceVersion. Reconnect with `Last-Event-ID` (or `?since=`) to resume. The stream ends after a few minutes, or when the session or token is revoked, or (after an event `unavailable` with `{ code, message }`) when Sitepod's database stops answering.",
    query: eventsQuerySchema,
    success: { status: 200, description: "The event stream.", contentType: "text/event-stream" },
  },
  // Meta
  // The platform operator's tools
  {
    method: "GET",
    path: "/api/v1/platform/health",
    operationId: "getPlatformHealth",
    tag: "Platform",
    summary: "The platform's health (platform operator)",
    description:
      "Whether the reconciler is up and leading (from its heartbeat), whether the API server answers, sites by phase, the degraded ones with the reconciler's reasons, and the database servers as last checked. 404 for anyone below the platform, and in a support session.",
    success: { status: 200, description: "`{ health }`." },
  },
  {
    method: "GET",
    path: "/api/v1/search",
    operationId: "searchPlatform",
    tag: "Platform",
    summary: "Search accounts, users, sites and domains (platform operator)",
    description:
      "Case-insensitive; names starting with `q` first, then those containing it; at most 20 of each kind, `more` when there are others. Each user says whether the caller may sign in as them for support. 404 for anyone below the platform, and in a support session.",
    query: searchSchema,
    success: { status: 200, description: "`{ results: { query, accounts, users, sites, domains } }`." },
  },
  {
    method: "GET",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Meta",
    summary: "This OpenAPI document",
    description: "Open to anyone: it describes the API, not anyone's data.",
    success: { status: 200, description: "The OpenAPI 3.1 document." },
    public: true,
  },
];
