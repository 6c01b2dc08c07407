/**
 * API token schemas, shared by the create dialog, the server actions and the REST routes. Messages
 * are shown to users as they are.
 */
import { z } from "zod";
import { ROLES_BY_STRENGTH } from "@/lib/authz/permissions";

/** A token's public id (lib/auth/api-token-format.ts): what URLs and the panel name a token by. */
export const API_TOKEN_ID_LENGTH = 16;
export const API_TOKEN_ID_PATTERN = new RegExp(`^[0-9a-z]{${API_TOKEN_ID_LENGTH}}$`);

export const API_TOKEN_NAME_MAX_LENGTH = 80;

/** How long a new token lives: the dialog's choices; null never expires. */
export const API_TOKEN_EXPIRY_CHOICES = [7, 30, 90, 365, null] as const;
export type ApiTokenExpiry = (typeof API_TOKEN_EXPIRY_CHOICES)[number];
export const DEFAULT_API_TOKEN_EXPIRY: ApiTokenExpiry = 90;

export const API_TOKEN_EXPIRY_LABELS: Record<string, string> = {
  "7": "7 days",
  "30": "30 days",
  "90": "90 days",
  "365": "1 year",
  never: "No expiry",
};

/** How many live (not revoked, not expired) tokens one user may hold on one account. */
export const MAX_API_TOKENS_PER_USER_AND_ACCOUNT = 50;

/** How long a token minted for a downloaded kubeconfig lives. */
export const KUBECONFIG_TOKEN_DAYS = 90;

const ROLE_VALUES = ROLES_BY_STRENGTH as readonly ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"];

export const apiTokenNameSchema = z
  .string({ error: "Enter a name for the token." })
  .trim()
  .min(1, { error: "Enter a name for the token, e.g. what uses it (deploy script, CI)." })
  .max(API_TOKEN_NAME_MAX_LENGTH, { error: `Use at most ${API_TOKEN_NAME_MAX_LENGTH} characters.` })
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), {
    error: "Use letters, digits, spaces and punctuation only.",
  });

/**
 * Days until a token expires (one of API_TOKEN_EXPIRY_CHOICES), or null / "never" for no expiry.
 * Forms send the choice as a string.
 */
const apiTokenExpirySchema = z.preprocess(
  (value) =>
    value === "never" ? null : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value,
  z.union([z.literal(7), z.literal(30), z.literal(90), z.literal(365), z.null()], {
    error: "Choose 7, 30 or 90 days, 1 year, or no expiry.",
  }),
);

export const createApiTokenSchema = z.object({
  name: apiTokenNameSchema,
  role: z.enum(ROLE_VALUES, { error: "Choose owner, admin, developer or viewer." }),
  expiresInDays: apiTokenExpirySchema,
});

export type CreateApiTokenInput = z.output<typeof createApiTokenSchema>;

export const apiTokenIdSchema = z
  .string({ error: "Choose a token." })
  .regex(API_TOKEN_ID_PATTERN, { error: "Choose a token." });

export const apiTokenParamsSchema = z.object({ tokenId: apiTokenIdSchema });

export const mintKubeconfigTokenSchema = z.object({
  /** Default: the caller's own role on the account. */
  role: z.enum(ROLE_VALUES, { error: "Choose owner, admin, developer or viewer." }).optional(),
  /** As a token's (createApiTokenSchema); default KUBECONFIG_TOKEN_DAYS. */
  expiresInDays: apiTokenExpirySchema.optional(),
});
