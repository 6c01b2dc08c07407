import type { Role } from "@/lib/generated/prisma/enums";

/**
 * What an API token grants (lib/auth/bearer.ts): its account and everything below it, with at
 * most its role, and never more than the user holds there at the time of the call. lib/authz
 * narrows every membership of the user to it, so a service call made with a token reaches exactly
 * what a member with the token's role on its account would.
 */
export interface TokenGrant {
  /** The token's public id (never its secret). */
  id: string;
  name: string;
  accountId: string;
  /** The account's materialized path ("/<root>/.../<accountId>/"). */
  accountPath: string;
  role: Role;
}

/**
 * A support session (lib/services/impersonation/): an operator signed in as the Actor's `userId`.
 * Authorization then uses that user's memberships only, never the operator's; what only a person
 * may do for themselves is refused (lib/authz/interactive.ts); and every change is recorded as the
 * operator's (lib/services/change-log/attribution.ts).
 */
export interface ImpersonationGrant {
  /** The Impersonation row. */
  id: string;
  /** Who really acts. */
  operatorUserId: string;
  operatorName: string;
  expiresAt: Date;
}

/**
 * A Kubernetes user acting through a cluster's aggregation layer (lib/apiserver/front-proxy.ts):
 * the cluster's RBAC (a SubjectAccessReview) allowed this one request, and Sitepod then acts for it
 * as the system, on exactly the accounts that review covered (`roots`: one account for a request in
 * its namespace, every root account for a request at cluster scope), with a role that allows no
 * more than the verb reviewed (VIEWER for reads, ADMIN for writes). They hold no Sitepod
 * memberships; their changes are attributed to the Kubernetes user name
 * (lib/services/change-log/attribution.ts).
 */
export interface ClusterGrant {
  /** The Kubernetes user name (X-Remote-User). */
  username: string;
  groups: readonly string[];
  roots: readonly { role: Role; path: string }[];
}

/** Who performs a service call: the signed-in user, and the client address for the audit trail. */
export interface Actor {
  userId: string;
  ip?: string | null;
  /** The UserSession the call came through (absent for calls made by the system or by tests). */
  sessionId?: string | null;
  /**
   * Set when the call came with an API token instead of a session: authorization then reaches only
   * what the token grants, and what only a signed-in person may do (their password, two-factor
   * sign-in, sessions, tokens) is refused (lib/authz/interactive.ts).
   */
  token?: TokenGrant | null;
  /** Set when an operator acts as `userId` for support: see ImpersonationGrant. */
  impersonation?: ImpersonationGrant | null;
  /**
   * Set when a Kubernetes user calls through a cluster (userId is then CLUSTER_ACTOR_USER_ID): the
   * memberships it acts under are the grant's roots, not any user's.
   */
  cluster?: ClusterGrant | null;
}

/** The userId of every cluster actor: no user's id (those are generated, without a colon). */
export const CLUSTER_ACTOR_USER_ID = "system:kubernetes";
