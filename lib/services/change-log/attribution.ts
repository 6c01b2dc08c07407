/**
 * Who really made a change, when it is not simply the service's actor:
 *
 * - In a support session (an operator signed in as a customer, lib/services/impersonation/),
 *   services run as the customer, with the customer's roles: their change-log rows would name the
 *   customer. Every row the request appends names the operator as the actor and the support
 *   session beside them.
 * - A request that reaches the API server through a Kubernetes cluster's aggregation layer
 *   (lib/apiserver/front-proxy.ts) is made by a Kubernetes user authorized by the cluster's RBAC,
 *   not by anyone with a Sitepod account: every row it appends names that user (`actorName`) and
 *   no Sitepod user.
 *
 * The request's wrapper (defineAction, withActor, the API server) runs the handler inside
 * withChangeAttribution or withExternalAttribution, and appendChange applies it to every row,
 * whichever service appends it. Outside one nothing changes.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Actor } from "@/lib/services/actor";

export type ChangeAttribution =
  | {
      /** The operator who really acts. */
      operatorUserId: string;
      /** The Impersonation (support session) they act in. */
      impersonationId: string;
    }
  | {
      /** The external identity that acts, e.g. the Kubernetes user ("alice", "system:serviceaccount:ci:deployer"). */
      actorName: string;
    };

const storage = new AsyncLocalStorage<ChangeAttribution>();

/** Runs `fn` so that every change it appends is attributed to the actor's support session, if any. */
export function withChangeAttribution<T>(
  actor: Pick<Actor, "impersonation">,
  fn: () => Promise<T>,
): Promise<T> {
  const grant = actor.impersonation;
  if (!grant) return fn();
  return storage.run({ operatorUserId: grant.operatorUserId, impersonationId: grant.id }, fn);
}

/** Runs `fn` so that every change it appends names `actorName`, an identity from outside Sitepod. */
export function withExternalAttribution<T>(
  attribution: { actorName: string },
  fn: () => Promise<T>,
): Promise<T> {
  return storage.run({ actorName: attribution.actorName }, fn);
}

export function currentChangeAttribution(): ChangeAttribution | undefined {
  return storage.getStore();
}

/** The column holds 255 characters; Kubernetes names are shorter, but a change must never fail on it. */
const MAX_ACTOR_NAME = 255;

/**
 * The actor columns of a change-log row: as the service gave them; in a support session the
 * operator as the actor and the session beside them; for an external identity no Sitepod user and
 * the external name.
 */
export function attributedActor(
  given: { actorUserId?: string | null; impersonationId?: string | null },
  attribution: ChangeAttribution | undefined,
): { actorUserId: string | null; impersonationId: string | null; actorName: string | null } {
  if (attribution && "actorName" in attribution) {
    return {
      actorUserId: null,
      impersonationId: null,
      actorName: attribution.actorName.slice(0, MAX_ACTOR_NAME),
    };
  }
  if (attribution) {
    return {
      actorUserId: attribution.operatorUserId,
      impersonationId: attribution.impersonationId,
      actorName: null,
    };
  }
  return {
    actorUserId: given.actorUserId ?? null,
    impersonationId: given.impersonationId ?? null,
    actorName: null,
  };
}
