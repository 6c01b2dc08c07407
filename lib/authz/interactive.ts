/**
 * What only the person themselves may do, signed in to the panel: change their password, email
 * address, name, two-factor sign-in or sessions, join or leave accounts, create or revoke API
 * tokens, and sign in as someone else for support. Never a script holding an API token (a token
 * that could mint tokens would outlive its own expiry and revocation), and never an operator in a
 * support session acting as the person (they help with the person's accounts, they do not take
 * over the person's identity, nor start a second support session from inside the first). The routes
 * for these refuse bearer tokens outright (withActor's `sessionOnly`); the services check again,
 * for callers that reach them another way (server actions, the Kubernetes-style API server).
 */
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";

/** The message for a call an API token may not make; `action` completes "cannot ...". */
export function apiTokenRefusal(action: string): string {
  return `An API token cannot ${action}. Sign in to the panel to do it.`;
}

/** The message for a call a support session may not make; `action` completes "cannot ...". */
export function supportSessionRefusal(action: string): string {
  return `A support session cannot ${action}: only the person themselves can. End the support session to act as yourself again.`;
}

/**
 * Throws FORBIDDEN when the call came with an API token, through a support session, or from a
 * Kubernetes user through a cluster.
 */
export function requireInteractive(
  actor: Pick<Actor, "token" | "impersonation" | "cluster">,
  action: string,
): void {
  if (actor.token) throw new AppError("FORBIDDEN", apiTokenRefusal(action));
  if (actor.impersonation) throw new AppError("FORBIDDEN", supportSessionRefusal(action));
  if (actor.cluster) {
    throw new AppError("FORBIDDEN", `A Kubernetes user cannot ${action}. Sign in to the panel to do it.`);
  }
}
