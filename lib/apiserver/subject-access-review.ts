/**
 * Authorization of front-proxy users by the cluster (as k8s.io/apiserver's delegating authorizer):
 * each request becomes the attributes kube-apiserver's RBAC decides on (verb, API group, resource,
 * subresource, namespace, name; or a non-resource path), asked of the cluster as a
 * SubjectAccessReview (authorization.k8s.io/v1). Decisions are cached briefly (10 s, bounded), so
 * that kubectl's bursts and open watches' rechecks do not ask again; identical questions in flight
 * share one review. Members of system:masters are allowed without asking, as kube-apiserver does
 * (the aggregator fetches discovery and OpenAPI as such a user).
 */
import type { ClusterUser } from "./front-proxy";

export type RequestAttributes =
  | {
      kind: "resource";
      verb: string;
      group: string;
      version: string;
      resource: string;
      subresource: string;
      /** "" at cluster scope. */
      namespace: string;
      /** "" for collections. */
      name: string;
    }
  | { kind: "nonResource"; verb: string; path: string };

/** Verbs that only read: what a caller allowed to get, list or watch may see and nothing more. */
export const READ_VERBS: ReadonlySet<string> = new Set(["get", "list", "watch"]);

function truthy(value: string | null): boolean {
  return value !== null && ["1", "t", "T", "true", "TRUE", "True"].includes(value);
}

/**
 * The authorization attributes of a request, as k8s.io/apiserver's RequestInfoFactory derives them:
 * /apis/<group>/<version>/[namespaces/<ns>/]<resource>[/<name>[/<subresource>]] is a resource
 * request (GET: get, or list without a name, or watch with ?watch; POST: create; PUT: update;
 * PATCH: patch; DELETE: delete, or deletecollection without a name); everything else (discovery,
 * OpenAPI, /version) is a non-resource path with the lower-cased method as verb.
 */
export function requestAttributes(method: string, path: string, params: URLSearchParams): RequestAttributes {
  const httpVerb = (method === "HEAD" ? "GET" : method).toLowerCase();
  const parts = path.split("/").filter((p) => p.length > 0);
  if (parts[0] !== "apis" || parts.length < 4) return { kind: "nonResource", verb: httpVerb, path };
  const group = parts[1] ?? "";
  const version = parts[2] ?? "";
  let rest = parts.slice(3);
  let namespace = "";
  if (rest[0] === "namespaces" && rest.length > 1) {
    namespace = rest[1] ?? "";
    // /namespaces/<ns> alone names the namespace object itself (resource "namespaces").
    if (rest.length > 2) rest = rest.slice(2);
  }
  const resource = rest[0] ?? "";
  const name = rest[1] ?? "";
  const subresource = rest.slice(2).join("/");
  let verb: string;
  switch (httpVerb) {
    case "get":
      verb = truthy(params.get("watch")) ? "watch" : name ? "get" : "list";
      break;
    case "post":
      verb = "create";
      break;
    case "put":
      verb = "update";
      break;
    case "patch":
      verb = "patch";
      break;
    case "delete":
      verb = name ? "delete" : "deletecollection";
      break;
    default:
      verb = httpVerb;
  }
  return { kind: "resource", verb, group, version, resource, subresource, namespace, name };
}

export interface SubjectAccessReviewBody {
  apiVersion: "authorization.k8s.io/v1";
  kind: "SubjectAccessReview";
  spec: {
    user: string;
    uid?: string;
    groups: string[];
    extra?: Record<string, string[]>;
    resourceAttributes?: {
      namespace?: string;
      verb: string;
      group: string;
      version: string;
      resource: string;
      subresource?: string;
      name?: string;
    };
    nonResourceAttributes?: { path: string; verb: string };
  };
}

export function subjectAccessReview(user: ClusterUser, attrs: RequestAttributes): SubjectAccessReviewBody {
  const omitEmpty = <T extends Record<string, string>>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== "")) as Partial<T>;
  return {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    spec: {
      user: user.username,
      ...(user.uid ? { uid: user.uid } : {}),
      groups: [...user.groups],
      ...(Object.keys(user.extra).length > 0 ? { extra: user.extra } : {}),
      ...(attrs.kind === "resource"
        ? {
            resourceAttributes: {
              ...omitEmpty({ namespace: attrs.namespace, subresource: attrs.subresource, name: attrs.name }),
              verb: attrs.verb,
              group: attrs.group,
              version: attrs.version,
              resource: attrs.resource,
            },
          }
        : { nonResourceAttributes: { path: attrs.path, verb: attrs.verb } }),
    },
  };
}

/** kube-apiserver's message for a refused request (responsewriters.forbiddenMessage), with the reason. */
export function forbiddenMessage(user: ClusterUser, attrs: RequestAttributes, reason: string): string {
  const why = reason ? `: ${reason}` : "";
  if (attrs.kind === "nonResource")
    return `User "${user.username}" cannot ${attrs.verb} path "${attrs.path}"${why}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
  return `User "${user.username}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${where}${why}`;
}

export interface Decision {
  allowed: boolean;
  /** Why, as the authorizer said (may be empty). */
  reason: string;
}

/** Asks the cluster (POST /apis/authorization.k8s.io/v1/subjectaccessreviews). */
export type ReviewFn = (body: SubjectAccessReviewBody) => Promise<Decision>;

export interface SubjectAccessReviewerOptions {
  review: ReviewFn;
  /** How long a decision is reused (default 10 s, as kube's delegating authorizer). */
  ttlMs?: number;
  /** The most decisions kept; the oldest go first (default 10,000). */
  maxEntries?: number;
  /** Groups allowed everything without a review (default system:masters). */
  alwaysAllowGroups?: readonly string[];
  now?: () => number;
}

/** Cached, coalesced SubjectAccessReviews. */
export class SubjectAccessReviewer {
  private readonly cache = new Map<string, { decision: Decision; expires: number }>();
  private readonly inFlight = new Map<string, Promise<Decision>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly alwaysAllowGroups: readonly string[];
  private readonly now: () => number;

  constructor(private readonly options: SubjectAccessReviewerOptions) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.alwaysAllowGroups = options.alwaysAllowGroups ?? ["system:masters"];
    this.now = options.now ?? Date.now;
  }

  /** The number of decisions cached (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }

  async authorize(user: ClusterUser, attrs: RequestAttributes): Promise<Decision> {
    if (user.groups.some((g) => this.alwaysAllowGroups.includes(g))) return { allowed: true, reason: "" };
    const body = subjectAccessReview(user, attrs);
    const key = JSON.stringify(body.spec, sortedKeys);
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.decision;
    if (hit) this.cache.delete(key);
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const asked = this.options
      .review(body)
      .then((decision) => {
        // Errors are not cached: the next request asks again.
        this.remember(key, decision);
        return decision;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, asked);
    return asked;
  }

  private remember(key: string, decision: Decision): void {
    this.cache.delete(key);
    while (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    this.cache.set(key, { decision, expires: this.now() + this.ttlMs });
  }
}

/** A JSON replacer that writes object keys in order, so that equal specs give one cache key. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
  );
}
