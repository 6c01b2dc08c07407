/**
 * One watch request (`?watch=1`): validates its options as kube-apiserver does, picks where it
 * starts (initial events, or the window of events after its resourceVersion), registers with
 * the watch cache and streams newline-delimited JSON events until the timeout or the client
 * goes. Errors found once streaming (410 Expired, a resourceVersion from the future) are sent as
 * an ERROR event carrying a Status, as the API server's watch cache does.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RootMembership } from "@/lib/authz/scope";
import { log } from "@/lib/log";
import { type Accept, warningHeader } from "../http";
import { parseSelection, type RequestContext, resolveNamespace } from "../objects";
import type { AnyResource } from "../resources/resource";
import { errors } from "../status";
import { type IncludeObject, partialObjectMetadata, toTable } from "../table";
import type { ApiObject, StatusCause } from "../types";
import {
  bookmarkObject,
  type Delivery,
  transformForWatcher,
  type WatchCache,
  type Watcher,
} from "./watch-cache";

/** Watches end after this at most (kube-apiserver's --min-request-timeout); clients re-watch. */
export const MAX_WATCH_SECONDS = 1800;
/** A timeout above this is refused rather than capped: nobody means it. */
export const ABSURD_WATCH_SECONDS = 86_400;
/** How long a watch waits for the cache to reach a resourceVersion it names. */
const FRESHNESS_WAIT_MS = 3_000;
/** A client this far behind is cut off (it reconnects and resumes), as slow watchers are. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

function parseOptionalBool(params: URLSearchParams, name: string): boolean | null {
  const value = params.get(name);
  if (value === null || value === "") return null;
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  throw errors.badRequest(`invalid value for ${name}: "${value}": use true or false`);
}

/** The watch's timeout in seconds and a warning when it was capped. */
export function watchTimeout(value: string | null): { seconds: number; warning: string | null } {
  if (value === null || value === "") return { seconds: MAX_WATCH_SECONDS, warning: null };
  if (!/^\d{1,12}$/.test(value)) {
    throw errors.badRequest(`invalid value for timeoutSeconds: "${value}": use a whole number of seconds`);
  }
  const seconds = Number(value);
  if (seconds > ABSURD_WATCH_SECONDS) {
    throw errors.badRequest(
      `timeoutSeconds ${value} is too long: a watch lasts at most ${MAX_WATCH_SECONDS} seconds (ask for ${MAX_WATCH_SECONDS} or less; clients watch again when one ends)`,
    );
  }
  if (seconds > MAX_WATCH_SECONDS) {
    return {
      seconds: MAX_WATCH_SECONDS,
      warning: `timeoutSeconds ${seconds} capped to ${MAX_WATCH_SECONDS}`,
    };
  }
  return { seconds: seconds === 0 ? MAX_WATCH_SECONDS : seconds, warning: null };
}

/** kube-apiserver's validateWatchOptions, with the WatchList feature enabled. */
function watchOptionsProblems(params: URLSearchParams, sendInitialEvents: boolean | null): StatusCause[] {
  const causes: StatusCause[] = [];
  const match = params.get("resourceVersionMatch") ?? "";
  if (sendInitialEvents !== null && match !== "NotOlderThan") {
    causes.push({
      reason: "FieldValueForbidden",
      field: "resourceVersionMatch",
      message: "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
    });
  }
  if (match !== "") {
    if (sendInitialEvents === null) {
      causes.push({
        reason: "FieldValueForbidden",
        field: "resourceVersionMatch",
        message:
          "Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
      });
    }
    if (match !== "NotOlderThan") {
      causes.push({
        reason: "FieldValueNotSupported",
        field: "resourceVersionMatch",
        message: `Unsupported value: "${match}": supported values: "NotOlderThan"`,
      });
    }
    if (params.get("continue")) {
      causes.push({
        reason: "FieldValueForbidden",
        field: "resourceVersionMatch",
        message: "Forbidden: resourceVersionMatch is forbidden when continue is provided",
      });
    }
  }
  return causes;
}

function parseVersion(value: string): bigint {
  if (!/^\d{1,19}$/.test(value)) throw errors.badRequest(`invalid resource version "${value.slice(0, 40)}"`);
  return BigInt(value);
}

export interface ServeWatchOptions {
  req: IncomingMessage;
  res: ServerResponse;
  cache: WatchCache;
  ctx: RequestContext;
  resource: AnyResource;
  namespace: string | null;
  params: URLSearchParams;
  accept: Accept;
  include: IncludeObject;
  /** Whether the caller's credential is still good (a revoked token ends its watches). */
  stillValid: (() => Promise<boolean>) | null;
  /** How often to ask stillValid. */
  recheckMs: number;
}

export async function serveWatch(options: ServeWatchOptions): Promise<void> {
  const { res, cache, ctx, resource, namespace, params, accept, include } = options;
  const sendInitialEvents = parseOptionalBool(params, "sendInitialEvents");
  const bookmarks = parseOptionalBool(params, "allowWatchBookmarks") ?? false;
  const problems = watchOptionsProblems(params, sendInitialEvents);
  if (problems.length > 0) throw errors.invalidOptions("ListOptions", problems);
  const timeout = watchTimeout(params.get("timeoutSeconds"));
  const selection = parseSelection(
    resource,
    params.get("labelSelector") ?? "",
    params.get("fieldSelector") ?? "",
  );
  const rvParam = params.get("resourceVersion") ?? "";
  const requested = rvParam === "" ? null : parseVersion(rvParam);
  const account = namespace === null ? null : await resolveNamespace(ctx.actor, namespace);
  // A namespace the user does not reach watches nothing, as an empty namespace would.
  const accountId = namespace === null ? null : (account?.id ?? "\u0000none");

  res.statusCode = 200;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Cache-Control", "no-cache, private");
  const warnings = [...ctx.warnings, ...(timeout.warning ? [timeout.warning] : [])];
  if (warnings.length > 0) res.setHeader("Warning", warnings.map(warningHeader));
  res.flushHeaders();

  let headersSent = false;
  let closed = false;
  const encode = (delivery: Delivery): unknown => {
    const object = delivery.object;
    if (delivery.type === "ERROR") return delivery.object;
    if (accept.table) {
      const table = toTable(
        resource,
        [object],
        { resourceVersion: object.metadata.resourceVersion },
        include,
        !headersSent,
      );
      headersSent = true;
      return table;
    }
    if (accept.partialMetadata) return partialObjectMetadata(object);
    return object;
  };
  let unregister: () => void = () => {};
  const finish = () => {
    if (closed) return;
    closed = true;
    unregister();
    clearTimeout(timer);
    clearInterval(recheck);
    res.end();
  };
  const write = (delivery: Delivery) => {
    if (closed) return;
    res.write(`${JSON.stringify({ type: delivery.type, object: encode(delivery) })}\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      log.warn("slow watcher cut off", {
        event: "apiserver.watch_slow",
        userId: ctx.actor.userId,
        resource: resource.plural,
      });
      finish();
    }
  };
  const fail = (status: ApiObject | object) => {
    write({ type: "ERROR", object: status as ApiObject });
    finish();
  };
  const timer = setTimeout(finish, timeout.seconds * 1000);
  const { stillValid } = options;
  // A token revoked or expired since the watch began ends it; the client's next request gets 401.
  const recheck = stillValid
    ? setInterval(() => {
        if (closed) return;
        stillValid().then(
          (valid) => {
            if (!valid) finish();
          },
          (err: unknown) => {
            log.warn("watch credential recheck failed", {
              event: "apiserver.watch_recheck_failed",
              userId: ctx.actor.userId,
              err,
            });
          },
        );
      }, options.recheckMs)
    : undefined;
  // The response closes when the client goes away (or the watch ends): stop sending to it.
  res.on("close", finish);

  const initial =
    sendInitialEvents === true || (sendInitialEvents === null && (requested === null || requested === 0n));
  if (requested !== null && requested > 0n && requested > cache.position()) {
    if (!(await cache.waitFor(requested, FRESHNESS_WAIT_MS))) {
      return fail(errors.tooLargeResourceVersion(requested, cache.position()).status);
    }
  }
  if (closed) return;
  // What the caller reaches, read once the cache is where the watch starts, and again if the cache
  // applied a membership change meanwhile: roots read before it would outlive a removed membership
  // (the cache updates only the watchers already registered).
  let roots: readonly RootMembership[];
  let scopes: number;
  do {
    scopes = cache.scopeVersion();
    roots = await cache.watcherRoots(ctx.actor);
  } while (scopes !== cache.scopeVersion() && !closed);
  if (closed) return;

  // From here on nothing awaits: the snapshot or window and the registration see the same cache.
  const watcher: Watcher = {
    resource,
    actor: ctx.actor,
    accountId,
    selection,
    bookmarks,
    roots,
    deliver: write,
  };
  if (initial) {
    for (const event of cache.initialEvents(resource)) {
      const delivery = transformForWatcher(watcher, event);
      if (delivery) write(delivery);
    }
    if (sendInitialEvents === true && bookmarks) {
      write({ type: "BOOKMARK", object: bookmarkObject(resource, cache.position(), true) });
    }
  } else {
    const events = cache.eventsAfter(requested as bigint);
    if (events === null) {
      return fail(
        errors.expired(`too old resource version: ${requested} (${cache.oldestResumable()})`).status,
      );
    }
    for (const event of events) {
      const delivery = transformForWatcher(watcher, event);
      if (delivery) write(delivery);
    }
  }
  if (closed) return;
  unregister = cache.add(watcher);
}
