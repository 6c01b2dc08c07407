/**
 * Support sessions ("sign in as"), the rules: who an operator may sign in as, and for how long.
 * The session then acts as its target with the target's memberships only (lib/auth/session.ts);
 * the operator's own roles, their platform role included, play no part until it ends.
 */

/** A support session ends this long after it started, whatever the operator does. */
export const IMPERSONATION_MINUTES = 60;

export function impersonationExpiry(startedAt: Date): Date {
  return new Date(startedAt.getTime() + IMPERSONATION_MINUTES * 60_000);
}

export interface ImpersonationTarget {
  id: string;
  name: string;
  /** Holds a role on the platform account. */
  isOperator: boolean;
  /** Accounts the user is a member of. */
  accountCount: number;
}

/**
 * Why `operatorUserId` may not sign in as `target`, or null. Never as oneself (pointless, and it
 * would blur who acted), never as another operator (an operator's powers are not theirs to borrow:
 * signing in as a stronger one would be an escalation), never as a user of no account (there is
 * nothing to help with, and nothing the audit log of an account would show).
 */
export function impersonationRefusal(operatorUserId: string, target: ImpersonationTarget): string | null {
  if (target.id === operatorUserId) return "You cannot sign in as yourself.";
  if (target.isOperator) {
    return `${target.name} is a platform operator: operators cannot sign in as each other.`;
  }
  if (target.accountCount === 0) {
    return `${target.name} belongs to no account: there is nothing to sign in to.`;
  }
  return null;
}
