/**
 * The HTTP(S) server for hosting.sitepod.io/v1alpha1: routes Kubernetes API paths to the verbs
 * in objects.ts and watch.ts, negotiates the response form (JSON, Table, PartialObjectMetadata,
 * aggregated discovery) and turns every failure into a metav1.Status.
 *
 * Authentication is injected: `authenticate` turns the Authorization header into the actor the
 * services authorize (API tokens, lib/auth). A request without valid credentials gets 401; only
 * /version and the health endpoints answer anonymously.
 *
 * Registered into a cluster as an aggregated API (`frontProxy`), a request that comes through the
 * cluster's front proxy (its client certificate verified, ./front-proxy.ts) is the user the proxy
 * names: the cluster authorizes it (./subject-access-review.ts) and Sitepod acts for it on what
 * that allowed (./cluster-actor.ts), attributing its changes to the Kubernetes user.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import {
  AGGREGATED_DISCOVERY_V2,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  legacyAggregated,
  versionInfo,
} from "./discovery";
import {
  decodeJson,
  decodeObjectBody,
  decodeYaml,
  mediaType,
  negotiate,
  readBody,
  sendJson,
  sendStatus,
} from "./http";
import {
  ACCEPTED_PATCH_TYPES,
  createObject,
  type DeleteOptions,
  deleteObject,
  type FieldValidation,
  getObject,
  listObjects,
  PATCH_TYPES,
  patchObject,
  type RequestContext,
  replaceObject,
  resolveNamespace,
} from "./objects";
import { withExternalAttribution } from "@/lib/services/change-log/attribution";
import { clusterActor } from "./cluster-actor";
import {
  type FrontProxyResult,
  frontProxyUser,
  peerCertificate,
  type RequestHeaderConfig,
} from "./front-proxy";
import { OPENAPI_GROUP_VERSION_PATH, openApiDocuments } from "./openapi";
import { forbiddenMessage, requestAttributes, type SubjectAccessReviewer } from "./subject-access-review";
import { applyObject } from "./server-side-apply";
import type { AnyResource } from "./resources/resource";
import { ApiError, errors, successStatus } from "./status";
import { parseIncludeObject, partialObjectMetadata, partialObjectMetadataList, toTable } from "./table";
import { API_VERSION, GROUP, kubeTime, type StatusCause, VERSION } from "./types";
import type { Account } from "@/lib/generated/prisma/client";
import { serveWatch } from "./watch/watch-stream";
import type { WatchCache } from "./watch/watch-cache";

/**
 * Who the Authorization header names, or why not (401 unless `code` says 403: a good credential
 * that may not be used now). `stillValid` is asked now and then while a watch stays open; once it
 * answers false the watch ends. Sitepod's API tokens: ./bearer-tokens.ts.
 */
export type Authenticator = (request: {
  authorization: string | undefined;
  ip: string | null;
}) => Promise<{ actor: Actor; stillValid?: () => Promise<boolean> } | { error: string; code?: 401 | 403 }>;

/** Front-proxy authentication and cluster authorization, when registered into a cluster. */
export interface FrontProxyOptions {
  config: RequestHeaderConfig;
  reviewer: Pick<SubjectAccessReviewer, "authorize">;
}

export interface ApiServerOptions {
  authenticate: Authenticator;
  frontProxy?: FrontProxyOptions;
  cache: WatchCache;
  /** How often an open watch asks whether its credential is still good (default 60 s). */
  watchRecheckMs?: number;
  /** Sitepod's version, shown in /version. */
  version: string;
}

const BASE = `/apis/${GROUP}/${VERSION}`;
const DEFAULT_WATCH_RECHECK_MS = 60_000;

function parseBool(params: URLSearchParams, name: string): boolean | null {
  const value = params.get(name);
  if (value === null || value === "") return null;
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  throw errors.badRequest(`invalid value for ${name}: "${value}": use true or false`);
}

function parseNonNegativeInt(params: URLSearchParams, name: string): number | null {
  const value = params.get(name);
  if (value === null || value === "") return null;
  if (!/^\d{1,15}$/.test(value))
    throw errors.badRequest(`invalid value for ${name}: "${value}": use a whole number 0 or more`);
  return Number(value);
}

function writeOptionsProblems(params: URLSearchParams, dryRunFromBody: string[] = []): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const value of [...params.getAll("dryRun"), ...dryRunFromBody]) {
    if (value !== "All") {
      causes.push({
        reason: "FieldValueNotSupported",
        field: "dryRun",
        message: `Unsupported value: "${value}": supported values: "All"`,
      });
    }
  }
  const validation = params.get("fieldValidation");
  if (validation !== null && validation !== "" && !["Strict", "Warn", "Ignore"].includes(validation)) {
    causes.push({
      reason: "FieldValueNotSupported",
      field: "fieldValidation",
      message: `Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`,
    });
  }
  const manager = params.get("fieldManager");
  if (manager !== null && manager.length > 128) {
    causes.push({
      reason: "FieldValueTooLong",
      field: "fieldManager",
      message: "Too long: may not be more than 128 bytes",
    });
  }
  return causes;
}

function clientIp(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}

interface Route {
  resource: AnyResource;
  namespace: string | null;
  name: string | null;
}

function matchResource(resources: readonly AnyResource[], rest: string[]): Route | null {
  let namespace: string | null = null;
  let parts = rest;
  if (parts[0] === "namespaces" && parts.length >= 3) {
    namespace = parts[1] ?? null;
    parts = parts.slice(2);
  }
  if (parts.length < 1 || parts.length > 2) return null;
  const resource = resources.find((r) => r.plural === parts[0]);
  if (!resource) return null;
  if (namespace !== null && !resource.namespaced) return null;
  // A cluster-scoped kind's single objects have no namespace; a namespaced kind's need one.
  if (parts.length === 2 && resource.namespaced && namespace === null) return null;
  return { resource, namespace, name: parts[1] ?? null };
}

export function createApiHandler(options: ApiServerOptions): RequestListener {
  const { cache } = options;
  const resources = cache.resources;
  const openapi = openApiDocuments(resources);

  return (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "https://apiserver.invalid");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    let userId: string | undefined;
    res.setHeader("Audit-Id", randomUUID());
    res.on("finish", () => {
      // Reads are many (kubectl discovers before every command): only writes and failures at info.
      const quiet = (req.method === "GET" || req.method === "HEAD") && res.statusCode < 400;
      log[quiet ? "debug" : "info"]("api request", {
        event: "apiserver.request",
        method: req.method,
        path,
        code: res.statusCode,
        ms: Date.now() - started,
        userId,
        ...(kubernetesUser ? { kubernetesUser } : {}),
      });
    });

    // Sync, from the connection's certificate: headers without the front proxy's are never read.
    const proxied: FrontProxyResult = options.frontProxy
      ? frontProxyUser(peerCertificate(req), req.headersDistinct, options.frontProxy.config)
      : { kind: "none" };
    const kubernetesUser = proxied.kind === "user" ? proxied.user.username : undefined;

    const authenticate = async (): Promise<Awaited<ReturnType<Authenticator>>> => {
      if (proxied.kind === "rejected") {
        log.warn("front proxy refused", { event: "apiserver.front_proxy_rejected", reason: proxied.reason });
        return { error: "Unauthorized" };
      }
      if (proxied.kind === "none" || !options.frontProxy) {
        return options.authenticate({ authorization: req.headers.authorization, ip: clientIp(req) });
      }
      const { reviewer } = options.frontProxy;
      const user = proxied.user;
      const attrs = requestAttributes(req.method ?? "GET", path, url.searchParams);
      const decision = await reviewer.authorize(user, attrs).catch((err: unknown) => {
        log.error("subject access review failed", {
          event: "apiserver.sar_failed",
          err,
          user: user.username,
        });
        throw errors.internal();
      });
      if (!decision.allowed) {
        const message = forbiddenMessage(user, attrs, decision.reason);
        if (attrs.kind === "nonResource") throw errors.forbiddenCaller(`forbidden: ${message}`);
        throw errors.forbidden(
          {
            resource: attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource,
            kind: "",
            name: attrs.name || undefined,
          },
          message,
        );
      }
      return {
        actor: await clusterActor(user, attrs, clientIp(req)),
        // An open watch ends once the cluster stops allowing it (asked again past the cache's 10 s).
        stillValid: async () => (await reviewer.authorize(user, attrs)).allowed,
      };
    };

    const handle = async (): Promise<void> => {
      if (req.method === "GET" && path === "/version")
        return sendJson(res, 200, versionInfo(options.version));
      if (req.method === "GET" && ["/healthz", "/livez", "/readyz"].includes(path)) {
        res.statusCode = 200;
        res.setHeader("Content-Type", "text/plain; charset=utf-8");
        res.end("ok");
        return;
      }

      const auth = await authenticate();
      if ("error" in auth) {
        const message = auth.error === "" ? "Unauthorized" : auth.error;
        throw auth.code === 403 ? errors.forbiddenCaller(message) : errors.unauthorized(message);
      }
      const actor = auth.actor;
      userId = actor.userId;
      const accept = negotiate(req.headers.accept);

      if (req.method === "GET") {
        if (path === "/api") {
          return accept.aggregatedDiscovery
            ? sendJson(res, 200, legacyAggregated(), { contentType: AGGREGATED_DISCOVERY_V2 })
            : sendJson(res, 200, apiVersions());
        }
        if (path === "/apis") {
          return accept.aggregatedDiscovery
            ? sendJson(res, 200, aggregatedDiscovery(resources), { contentType: AGGREGATED_DISCOVERY_V2 })
            : sendJson(res, 200, apiGroupList());
        }
        // kubectl asks for the namespace when an object is not found, to say which is missing.
        const namespaceMatch = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
        if (namespaceMatch) {
          const slug = decodeURIComponent(namespaceMatch[1] as string);
          const account = await resolveNamespace(actor, slug);
          if (!account) throw errors.namespaceNotFound(slug);
          return sendJson(res, 200, namespaceObject(account));
        }
        if (path === `/apis/${GROUP}`) return sendJson(res, 200, apiGroup());
        if (path === BASE) return sendJson(res, 200, apiResourceList(resources));
        if (path === "/openapi/v3") return sendJson(res, 200, openapi.root);
        if (path === `/openapi/v3/${OPENAPI_GROUP_VERSION_PATH}`) {
          const immutable = url.searchParams.get("hash") === openapi.hash;
          return sendJson(res, 200, openapi.document, {
            headers: {
              ETag: `"${openapi.hash}"`,
              ...(immutable ? { "Cache-Control": "public, immutable" } : {}),
            },
          });
        }
      }

      if (!path.startsWith(`${BASE}/`)) throw errors.notFoundPath(path);
      const route = matchResource(resources, path.slice(BASE.length + 1).split("/"));
      if (!route) throw errors.notFoundPath(path);
      const params = url.searchParams;
      const ctx: RequestContext = {
        // The actor as authenticated (an API token's grant with it), with the client's address.
        actor: { ...actor, ip: actor.ip ?? clientIp(req) },
        clock: cache,
        dryRun: params.getAll("dryRun").includes("All"),
        fieldValidation: (params.get("fieldValidation") || "Warn") as FieldValidation,
        fieldManager: params.get("fieldManager"),
        userAgent: req.headers["user-agent"] ?? "",
        warnings: [],
      };
      const { resource, namespace, name } = route;
      const include = parseIncludeObject(params.get("includeObject"));
      if (include === null)
        throw errors.badRequest(`unrecognized includeObject value: "${params.get("includeObject")}"`);

      const respondObject = (code: number, object: Parameters<typeof partialObjectMetadata>[0]) => {
        if (accept.table) {
          return sendJson(res, code, toTable(resource, [object], { resourceVersion: "" }, include), {
            warnings: ctx.warnings,
          });
        }
        if (accept.partialMetadata)
          return sendJson(res, code, partialObjectMetadata(object), { warnings: ctx.warnings });
        return sendJson(res, code, object, { warnings: ctx.warnings });
      };

      if (name === null) {
        if (req.method === "GET") {
          const watch = parseBool(params, "watch") ?? false;
          if (watch) {
            return serveWatch({
              req,
              res,
              cache,
              ctx,
              resource,
              namespace,
              params,
              accept,
              include,
              stillValid: auth.stillValid ?? null,
              recheckMs: options.watchRecheckMs ?? DEFAULT_WATCH_RECHECK_MS,
            });
          }
          listOptionsCheck(params);
          const list = await listObjects(ctx, resource, {
            namespace,
            labelSelector: params.get("labelSelector") ?? "",
            fieldSelector: params.get("fieldSelector") ?? "",
            limit: parseNonNegativeInt(params, "limit") ?? 0,
            continueToken: params.get("continue") || null,
            resourceVersion: params.get("resourceVersion") || null,
            resourceVersionMatch: params.get("resourceVersionMatch") || null,
          });
          if (accept.table) return sendJson(res, 200, toTable(resource, list.items, list.metadata, include));
          if (accept.partialMetadata)
            return sendJson(res, 200, partialObjectMetadataList(list.items, list.metadata));
          return sendJson(res, 200, {
            apiVersion: API_VERSION,
            kind: `${resource.kind}List`,
            metadata: list.metadata,
            items: list.items,
          });
        }
        if (req.method === "POST") {
          if (!resource.namespaced && namespace !== null) throw errors.notFoundPath(path);
          if (resource.namespaced && namespace === null) {
            throw errors.methodNotAllowed({ resource: resource.plural, kind: resource.kind }, "create");
          }
          const problems = writeOptionsProblems(params);
          if (problems.length > 0) throw errors.invalidOptions("CreateOptions", problems);
          const body = decodeObjectBody(req.headers["content-type"], await readBody(req));
          const created = await createObject(ctx, resource, namespace, body);
          return respondObject(201, created);
        }
        throw errors.methodNotAllowed(
          { resource: resource.plural, kind: resource.kind },
          req.method === "DELETE" ? "deletecollection" : (req.method ?? ""),
        );
      }

      switch (req.method) {
        case "GET":
          return respondObject(200, await getObject(ctx, resource, namespace, name));
        case "PUT": {
          const problems = writeOptionsProblems(params);
          if (problems.length > 0) throw errors.invalidOptions("UpdateOptions", problems);
          const body = decodeObjectBody(req.headers["content-type"], await readBody(req));
          return respondObject(200, await replaceObject(ctx, resource, namespace, name, body));
        }
        case "PATCH": {
          const problems = writeOptionsProblems(params);
          if (problems.length > 0) throw errors.invalidOptions("PatchOptions", problems);
          const type = mediaType(req.headers["content-type"]);
          if (type === PATCH_TYPES.apply) {
            const force = parseBool(params, "force") ?? false;
            if (!ctx.fieldManager) {
              throw errors.invalidOptions("PatchOptions", [
                {
                  reason: "FieldValueRequired",
                  field: "fieldManager",
                  message: "Required value: is required for apply patch",
                },
              ]);
            }
            const body = decodeYaml(await readBody(req));
            const { object, created } = await applyObject(ctx, resource, namespace, name, body, force);
            return respondObject(created ? 201 : 200, object);
          }
          if (type !== PATCH_TYPES.json && type !== PATCH_TYPES.merge) {
            throw errors.unsupportedMediaType(type, ACCEPTED_PATCH_TYPES);
          }
          const patch = decodeJson(await readBody(req));
          const patched = await patchObject(
            ctx,
            resource,
            namespace,
            name,
            type === PATCH_TYPES.json ? "json" : "merge",
            patch,
          );
          return respondObject(200, patched);
        }
        case "DELETE": {
          const raw = await readBody(req);
          const body = raw.length > 0 ? decodeJson(raw) : undefined;
          const deleteOptions = (typeof body === "object" && body !== null ? body : {}) as DeleteOptions & {
            dryRun?: unknown;
          };
          const bodyDryRun = Array.isArray(deleteOptions.dryRun) ? deleteOptions.dryRun.map(String) : [];
          const problems = writeOptionsProblems(params, bodyDryRun);
          if (problems.length > 0) throw errors.invalidOptions("DeleteOptions", problems);
          if (bodyDryRun.includes("All")) ctx.dryRun = true;
          const outcome = await deleteObject(ctx, resource, namespace, name, deleteOptions);
          if ("object" in outcome) return respondObject(200, outcome.object);
          return sendJson(
            res,
            200,
            successStatus({ name, group: GROUP, kind: resource.plural, uid: outcome.gone.id }),
            { warnings: ctx.warnings },
          );
        }
        default:
          throw errors.methodNotAllowed({ resource: resource.plural, kind: resource.kind }, req.method ?? "");
      }
    };

    const run = kubernetesUser ? withExternalAttribution({ actorName: kubernetesUser }, handle) : handle();
    run.catch((err: unknown) => {
      const apiError = err instanceof ApiError ? err : errors.internal();
      if (!(err instanceof ApiError))
        log.error("api request failed", { event: "apiserver.error", err, path });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendStatus(res, apiError.status);
    });
  };
}

/** An account as the core/v1 Namespace its objects live in (read-only, for kubectl's checks). */
function namespaceObject(account: Account) {
  return {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: {
      name: account.slug,
      uid: account.id,
      creationTimestamp: kubeTime(account.createdAt),
      annotations: { "hosting.sitepod.io/account-name": account.name },
    },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: account.terminationRequestedAt ? "Terminating" : "Active" },
  };
}

function listOptionsCheck(params: URLSearchParams): void {
  const causes: StatusCause[] = [];
  const match = params.get("resourceVersionMatch");
  if (match) {
    if (!params.get("resourceVersion")) {
      causes.push({
        reason: "FieldValueForbidden",
        field: "resourceVersionMatch",
        message: "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
      });
    }
    if (params.get("continue")) {
      causes.push({
        reason: "FieldValueForbidden",
        field: "resourceVersionMatch",
        message: "Forbidden: resourceVersionMatch is forbidden when continue is provided",
      });
    }
    if (match !== "Exact" && match !== "NotOlderThan") {
      causes.push({
        reason: "FieldValueNotSupported",
        field: "resourceVersionMatch",
        message: `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan", ""`,
      });
    }
  }
  if (params.has("sendInitialEvents")) {
    causes.push({
      reason: "FieldValueForbidden",
      field: "sendInitialEvents",
      message: "Forbidden: sendInitialEvents is forbidden for list",
    });
  }
  if (causes.length > 0) throw errors.invalidOptions("ListOptions", causes);
}

export { ApiError };
export type { ServerResponse };
