/**
 * What a Kubernetes user reaches once the cluster's RBAC allowed its request.
 *
 * The decision, and why: a namespace of hosting.sitepod.io is a Sitepod account (named by its short
 * name, as for API tokens). The cluster's RBAC has just allowed exactly one request (verb,
 * resource, namespace or cluster scope), so Sitepod acts for it as the system, on exactly what
 * that review covered:
 * - a request in namespace N reaches the account whose short name is N, and nothing else (an
 *   unknown N is NotFound, as for a token);
 * - a request at cluster scope (`kubectl get sites -A`, Accounts, which are cluster-scoped) was
 *   allowed at cluster scope, so it reaches every account;
 * - the role it acts with allows no more than the verb reviewed: VIEWER for get/list/watch, ADMIN
 *   for writes (never OWNER: nothing owner-only is served here, and a read can never turn into a
 *   write).
 * Sitepod's own rules still apply on top, in the services: plan limits, suspended accounts,
 * validation, immutable fields. Discovery and OpenAPI (non-resource paths) reach no account.
 * Changes are attributed to the Kubernetes user (lib/services/change-log/attribution.ts).
 */
import { prisma } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { type Actor, CLUSTER_ACTOR_USER_ID } from "@/lib/services/actor";
import type { ClusterUser } from "./front-proxy";
import { READ_VERBS, type RequestAttributes } from "./subject-access-review";

export function clusterRole(verb: string): Role {
  return READ_VERBS.has(verb) ? "VIEWER" : "ADMIN";
}

/** The accounts' paths a reviewed request reaches (see the module's comment). */
export async function clusterRootPaths(attrs: RequestAttributes): Promise<string[]> {
  if (attrs.kind === "nonResource") return [];
  if (attrs.namespace) {
    const account = await prisma.account.findUnique({
      where: { slug: attrs.namespace },
      select: { path: true },
    });
    return account ? [account.path] : [];
  }
  const roots = await prisma.account.findMany({ where: { parentId: null }, select: { path: true } });
  return roots.map((r) => r.path);
}

/** The service actor of a request the cluster allowed (`ip`: the connection's, i.e. the front proxy's). */
export async function clusterActor(
  user: ClusterUser,
  attrs: RequestAttributes,
  ip: string | null,
): Promise<Actor> {
  const role = clusterRole(attrs.verb);
  const paths = await clusterRootPaths(attrs);
  return {
    userId: CLUSTER_ACTOR_USER_ID,
    ip,
    cluster: { username: user.username, groups: user.groups, roots: paths.map((path) => ({ role, path })) },
  };
}
