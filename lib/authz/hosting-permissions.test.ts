import { describe, expect, it } from "vitest";
import type { Role } from "@/lib/generated/prisma/enums";
import {
  canInviteMembers,
  canManageChildAccounts,
  canManagePlans,
  canRemoveMembers,
  canTerminateAccount,
  canTransferOwnership,
  canViewAuditLog,
  canViewChildAccounts,
  canViewPlans,
} from "./permissions";

const roles: Role[] = ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"];

describe("hosting-business permissions", () => {
  it("lets every member view plans and child accounts", () => {
    expect(roles.filter(canViewPlans)).toEqual(roles);
    expect(roles.filter(canViewChildAccounts)).toEqual(roles);
  });

  it("keeps plans, accounts, members and the audit log to owners and admins", () => {
    for (const permission of [
      canManagePlans,
      canManageChildAccounts,
      canTerminateAccount,
      canInviteMembers,
      canRemoveMembers,
      canViewAuditLog,
    ]) {
      expect(roles.filter(permission)).toEqual(["OWNER", "ADMIN"]);
    }
  });

  it("lets only owners transfer ownership", () => {
    expect(roles.filter(canTransferOwnership)).toEqual(["OWNER"]);
  });
});
