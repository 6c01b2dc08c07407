/**
 * Account schemas (create a child account, suspend, terminate, assign a plan), shared by forms,
 * server actions and REST routes. Messages are shown to users as they are.
 */
import { z } from "zod";
import { displayNameSchema } from "@/lib/validation/display-name";
import { allotmentSchema } from "@/lib/validation/plan";

export const ACCOUNT_SLUG_MIN_LENGTH = 2;
export const ACCOUNT_SLUG_MAX_LENGTH = 40;
export const ACCOUNT_NAME_MAX_LENGTH = 120;

/** Kinds of account a caller may create; the platform is created once, by the seed. */
export const CHILD_ACCOUNT_KINDS = ["RESELLER", "AGENCY", "CUSTOMER"] as const;
export type ChildAccountKind = (typeof CHILD_ACCOUNT_KINDS)[number];

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `slug` is not a valid account slug (the namespace is `sp-<slug>`, a DNS-1123 label), or null. */
export function accountSlugProblem(slug: string): string | null {
  if (slug.length === 0) return "Enter a short name.";
  if (slug.length < ACCOUNT_SLUG_MIN_LENGTH) return `Use at least ${ACCOUNT_SLUG_MIN_LENGTH} characters.`;
  if (slug.length > ACCOUNT_SLUG_MAX_LENGTH) return `Use at most ${ACCOUNT_SLUG_MAX_LENGTH} characters.`;
  if (/[A-Z]/.test(slug)) return "Use lower-case letters only.";
  if (!LABEL.test(slug)) {
    return "Use only lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. acme-corp).";
  }
  return null;
}

export const accountSlugSchema = z
  .string({ error: "Enter a short name." })
  .trim()
  .superRefine((value, ctx) => {
    const problem = accountSlugProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const accountNameSchema = displayNameSchema({
  required: "Enter a name.",
  max: ACCOUNT_NAME_MAX_LENGTH,
});

const optionalId = z
  .string()
  .trim()
  .max(32, { error: "Choose a plan from the list." })
  .transform((value) => (value === "" ? null : value))
  .nullish()
  .transform((value) => value ?? null);

export const createAccountSchema = z
  .object({
    kind: z.enum(CHILD_ACCOUNT_KINDS, { error: "Choose reseller, agency or customer." }),
    slug: accountSlugSchema,
    name: accountNameSchema,
    /** The plan whose limits apply to the new account; none means no limits. */
    planId: optionalId,
    /** What a reseller or agency may hand out to the accounts below it. */
    allotment: allotmentSchema.nullish().transform((value) => value ?? null),
  })
  .superRefine((value, ctx) => {
    if (value.allotment && value.kind === "CUSTOMER") {
      ctx.addIssue({
        code: "custom",
        path: ["allotment"],
        message: "Only resellers and agencies have an allotment.",
      });
    }
  });

export type CreateAccountFormValues = z.input<typeof createAccountSchema>;
export type CreateAccountInput = z.output<typeof createAccountSchema>;

export const SUSPENSION_REASON_MAX_LENGTH = 500;

export const suspendAccountSchema = z.object({
  reason: z
    .string({ error: "Enter the reason for the suspension." })
    .trim()
    .min(1, { error: "Enter the reason for the suspension." })
    .max(SUSPENSION_REASON_MAX_LENGTH, { error: `Use at most ${SUSPENSION_REASON_MAX_LENGTH} characters.` }),
});

export type SuspendAccountInput = z.output<typeof suspendAccountSchema>;

/** Termination cannot be undone: the caller types the account's short name to confirm it. */
export const requestAccountTerminationSchema = z.object({
  confirmSlug: z.string({ error: "Type the account's short name to confirm." }).trim(),
});

/** `planId: null` removes the plan (no limits). */
export const assignPlanSchema = z.object({
  planId: z
    .string({ error: "Choose a plan." })
    .trim()
    .min(1, { error: "Choose a plan." })
    .max(32, { error: "Choose a plan from the list." })
    .nullable(),
});

export type AssignPlanInput = z.output<typeof assignPlanSchema>;

export const AUDIT_LOG_DEFAULT_LIMIT = 50;
export const AUDIT_LOG_MAX_LIMIT = 200;

/** Newest first; `before` is the resourceVersion of the last entry already shown. */
export const listAuditLogSchema = z.object({
  before: z
    .string()
    .regex(/^\d{1,19}$/, { error: "Invalid cursor." })
    .optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_LOG_MAX_LIMIT).default(AUDIT_LOG_DEFAULT_LIMIT),
});

export const ACCOUNT_SEARCH_MAX_LENGTH = 100;
export const MY_ACCOUNTS_DEFAULT_LIMIT = 50;
export const MY_ACCOUNTS_MAX_LIMIT = 100;

/** Where the previous page of GET /api/v1/accounts ended: the last account's name and id. */
const myAccountsCursorSchema = z.object({ n: z.string().max(120), i: z.string().min(1).max(32) });
export type MyAccountsCursor = z.output<typeof myAccountsCursorSchema>;

export function encodeMyAccountsCursor(cursor: MyAccountsCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeMyAccountsCursor(value: string): MyAccountsCursor | null {
  try {
    const parsed = myAccountsCursorSchema.safeParse(
      JSON.parse(Buffer.from(value, "base64url").toString("utf8")),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The accounts the caller reaches, searched and paged (GET /api/v1/accounts, the account
 * switcher): `q` matches a name or slug, `cursor` is the previous page's `nextCursor`. An API
 * query, not a URL a user edits: a value out of bounds is an error, not a default.
 */
export const listMyAccountsSchema = z.object({
  q: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z
      .string()
      .trim()
      .max(ACCOUNT_SEARCH_MAX_LENGTH, { error: `At most ${ACCOUNT_SEARCH_MAX_LENGTH} characters.` })
      .optional(),
  ),
  limit: z.coerce
    .number({ error: "A number." })
    .int({ error: "A whole number." })
    .min(1, { error: "At least 1." })
    .max(MY_ACCOUNTS_MAX_LIMIT, { error: `At most ${MY_ACCOUNTS_MAX_LIMIT}.` })
    .default(MY_ACCOUNTS_DEFAULT_LIMIT),
  cursor: z
    .string()
    .max(400, { error: "Invalid cursor." })
    .transform((value, ctx) => {
      const cursor = decodeMyAccountsCursor(value);
      if (!cursor) {
        ctx.addIssue({ code: "custom", message: "Invalid cursor." });
        return z.NEVER;
      }
      return cursor;
    })
    .optional(),
});

export type ListMyAccountsInput = z.output<typeof listMyAccountsSchema>;

export const DESCENDANT_ACCOUNTS_DEFAULT_LIMIT = 100;
export const DESCENDANT_ACCOUNTS_MAX_LIMIT = 500;

/** A materialized account path: "/<id>/<id>/.../" (ids are cuids). */
const ACCOUNT_PATH = /^(\/[a-z0-9]{1,32}){1,16}\/$/;

export function encodeDescendantAccountsCursor(path: string): string {
  return Buffer.from(path, "utf8").toString("base64url");
}

/**
 * GET /api/v1/accounts/{id}/accounts, paged: `cursor` is the previous page's `nextCursor` (where in
 * the tree that page ended). An API query: a value out of bounds is an error, not a default.
 */
const CURSOR_MESSAGE = "Invalid cursor: pass the `nextCursor` value of the previous page.";

export const listDescendantAccountsSchema = z.object({
  limit: z.coerce
    .number({ error: "A number." })
    .int({ error: "A whole number." })
    .min(1, { error: "At least 1." })
    .max(DESCENDANT_ACCOUNTS_MAX_LIMIT, { error: `At most ${DESCENDANT_ACCOUNTS_MAX_LIMIT}.` })
    .default(DESCENDANT_ACCOUNTS_DEFAULT_LIMIT),
  cursor: z
    .string()
    .max(600, { error: CURSOR_MESSAGE })
    .transform((value, ctx) => {
      const path = Buffer.from(value, "base64url").toString("utf8");
      if (!ACCOUNT_PATH.test(path)) {
        ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE });
        return z.NEVER;
      }
      return path;
    })
    .optional(),
});

export const ACCOUNT_OVERVIEW_PAGE_SIZE = 50;

const emptyAsUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

/**
 * The search and page of the accounts below an account (the Customers page), from a URL a user can
 * edit or bookmark: a page that is no number falls back to the first; a search longer than the
 * limit is cut to it rather than failing the page.
 */
export const accountOverviewQuerySchema = z.object({
  q: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().slice(0, ACCOUNT_SEARCH_MAX_LENGTH) : value),
    z.preprocess(emptyAsUndefined, z.string().optional()),
  ),
  page: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000_000).default(1)).catch(1),
});

export type AccountOverviewQuery = z.output<typeof accountOverviewQuerySchema>;

/** At most one page of accounts (and some room) per bulk change. */
export const BULK_ACCOUNTS_MAX = 100;

const bulkAccountIdsSchema = z
  .array(
    z
      .string({ error: "Select accounts from the list." })
      .min(1, { error: "Select accounts from the list." })
      .max(32, { error: "Select accounts from the list." })
      .regex(/^[a-z0-9]+$/i, { error: "Select accounts from the list." }),
    { error: "Select at least one account." },
  )
  .min(1, { error: "Select at least one account." })
  .max(BULK_ACCOUNTS_MAX, { error: `Select at most ${BULK_ACCOUNTS_MAX} accounts at a time.` })
  .transform((ids) => [...new Set(ids)]);

/** Suspends several accounts below one, each with the same reason. */
export const bulkSuspendAccountsSchema = z.object({
  accountIds: bulkAccountIdsSchema,
  reason: suspendAccountSchema.shape.reason,
});

export const bulkUnsuspendAccountsSchema = z.object({ accountIds: bulkAccountIdsSchema });

export type BulkSuspendAccountsInput = z.output<typeof bulkSuspendAccountsSchema>;
