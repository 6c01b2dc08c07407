import { Field, Select } from "@/components/ui/field";
import { canGrantRole, ROLES_BY_STRENGTH } from "@/lib/authz/permissions";
import type { Role } from "@/lib/generated/prisma/enums";
import { ROLE_LABELS } from "@/lib/glossary";
import { API_TOKEN_EXPIRY_CHOICES, API_TOKEN_EXPIRY_LABELS } from "@/lib/validation/api-token";

/** The roles a caller with `ownRole` may give a token: at most their own. */
export function grantableRoles(ownRole: Role): Role[] {
  return ROLES_BY_STRENGTH.filter((role) => canGrantRole(ownRole, role));
}

/**
 * What a new API token may do and for how long: its role (at most the caller's) and its expiry.
 * Shared by "New API token" and "Download kubeconfig", which each make one; `idPrefix` keeps the two
 * forms' field ids apart.
 */
export function TokenGrantFields({
  idPrefix,
  ownRole,
  defaultRole,
  defaultExpiry,
  errors,
}: {
  idPrefix: string;
  ownRole: Role;
  defaultRole: Role | undefined;
  /** Days, or null for a token that never expires. */
  defaultExpiry: number | null;
  errors: Record<string, string>;
}) {
  const roleId = `${idPrefix}-role`;
  const expiryId = `${idPrefix}-expiry`;
  return (
    <>
      <Field
        id={roleId}
        label="Role"
        hint={`At most yours (${ROLE_LABELS[ownRole].toLowerCase()}). Give it the weakest role that does the job.`}
        error={errors.role}
      >
        <Select id={roleId} name="role" defaultValue={defaultRole} invalid={Boolean(errors.role)}>
          {grantableRoles(ownRole).map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </Select>
      </Field>
      <Field id={expiryId} label="Expires after" error={errors.expiresInDays}>
        <Select
          id={expiryId}
          name="expiresInDays"
          defaultValue={defaultExpiry === null ? "never" : String(defaultExpiry)}
          invalid={Boolean(errors.expiresInDays)}
        >
          {API_TOKEN_EXPIRY_CHOICES.map((days) => {
            const value = days === null ? "never" : String(days);
            return (
              <option key={value} value={value}>
                {API_TOKEN_EXPIRY_LABELS[value]}
              </option>
            );
          })}
        </Select>
      </Field>
    </>
  );
}
