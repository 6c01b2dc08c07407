/**
 * Every permission of Sitepod as a named predicate on the caller's effective role. Components,
 * actions and services ask these; nothing else compares roles.
 */
import type { Role } from "@/lib/generated/prisma/enums";

/** Strongest first. */
export const ROLES_BY_STRENGTH: readonly Role[] = ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"];

export function roleStrength(role: Role): number {
  return ROLES_BY_STRENGTH.length - ROLES_BY_STRENGTH.indexOf(role);
}

export function strongestRole(roles: Iterable<Role>): Role | null {
  let best: Role | null = null;
  for (const role of roles) {
    if (best === null || roleStrength(role) > roleStrength(best)) best = role;
  }
  return best;
}

function atLeast(minimum: Role): (role: Role) => boolean {
  return (role) => roleStrength(role) >= roleStrength(minimum);
}

export type Permission = (role: Role) => boolean;

export const canViewAccount: Permission = atLeast("VIEWER");
export const canViewSite: Permission = atLeast("VIEWER");
export const canCreateSite: Permission = atLeast("DEVELOPER");
export const canDeleteSite: Permission = atLeast("DEVELOPER");

// Hosting business: plans, child accounts, members, audit log.
export const canViewPlans: Permission = atLeast("VIEWER");
export const canManagePlans: Permission = atLeast("ADMIN");
export const canViewChildAccounts: Permission = atLeast("VIEWER");
/** Create child accounts, change their plan, suspend and unsuspend them. */
export const canManageChildAccounts: Permission = atLeast("ADMIN");
export const canTerminateAccount: Permission = atLeast("ADMIN");
export const canInviteMembers: Permission = atLeast("ADMIN");
export const canRemoveMembers: Permission = atLeast("ADMIN");
export const canTransferOwnership: Permission = atLeast("OWNER");
export const canViewAuditLog: Permission = atLeast("ADMIN");
