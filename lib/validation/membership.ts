/**
 * Membership schemas (invite by link, accept, remove a member, transfer ownership), shared by
 * forms, server actions and REST routes. Messages are shown to users as they are.
 */
import { z } from "zod";

/** Ownership is never granted by an invite: it is transferred by the current owner. */
export const INVITABLE_ROLES = ["ADMIN", "DEVELOPER", "VIEWER"] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

export const INVITE_TTL_DAYS = 7;

export const createInviteSchema = z
  .object({
    role: z.enum(INVITABLE_ROLES, { error: "Choose admin, developer or viewer." }),
    /** Who the link is for (and where it is mailed); the link itself is what grants access. */
    email: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      z
        .string()
        .trim()
        .toLowerCase()
        .max(254, { error: "Use at most 254 characters." })
        .pipe(z.email({ error: "Enter a valid email address, or leave it empty." }))
        .optional(),
    ),
    /** Mail the link to `email` (else it is only shown to the inviter). */
    sendEmail: z.boolean({ error: "Choose whether to send the link by email." }).optional().default(false),
  })
  .refine((v) => !v.sendEmail || v.email !== undefined, {
    path: ["email"],
    error: "Enter the email address to send the link to.",
  });

export type CreateInviteFormValues = z.input<typeof createInviteSchema>;
export type CreateInviteInput = z.output<typeof createInviteSchema>;

/** 32 random bytes, base64url without padding: what create-invite hands out once. */
export const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const acceptInviteSchema = z.object({
  token: z
    .string({ error: "This invitation link is not valid." })
    .trim()
    .regex(INVITE_TOKEN_PATTERN, { error: "This invitation link is not valid." }),
});

const userIdSchema = z
  .string({ error: "Choose a member." })
  .trim()
  .min(1, { error: "Choose a member." })
  .max(32, { error: "Choose a member." });

export const removeMemberSchema = z.object({ userId: userIdSchema });

/** Resending or revoking a pending invitation. */
export const inviteIdSchema = z.object({
  inviteId: z
    .string({ error: "Choose an invitation." })
    .trim()
    .min(1, { error: "Choose an invitation." })
    .max(32, { error: "Choose an invitation." }),
});
export const transferOwnershipSchema = z.object({ userId: userIdSchema });
