/**
 * Errors as Kubernetes Status objects, with the reasons, codes and message shapes of
 * k8s.io/apimachinery/pkg/api/errors, so that kubectl and client libraries recognise them
 * (`errors.IsNotFound`, `IsConflict`, `IsInvalid`, `IsResourceExpired`...). Services' AppErrors are
 * mapped here, in one place.
 */
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { AppError, INTERNAL_ERROR_MESSAGE } from "@/lib/errors";
import { log } from "@/lib/log";
import { GROUP, type Status, type StatusCause, type StatusDetails } from "./types";

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export class ApiError extends Error {
  override name = "ApiError";
  constructor(readonly status: Status) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
}

export function statusObject(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function successStatus(details: StatusDetails): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details, code: 200 };
}

function fail(code: number, reason: string, message: string, details?: StatusDetails): ApiError {
  return new ApiError(statusObject(code, reason, message, details));
}

/** "sites.hosting.sitepod.io" */
export function qualifiedResource(plural: string): string {
  return `${plural}.${GROUP}`;
}

export interface ObjectRef {
  /** Plural resource name, e.g. "sites". */
  resource: string;
  /** Kind, e.g. "Site" (Invalid errors name the kind, the others the resource). */
  kind: string;
  name?: string;
}

export const errors = {
  notFound(ref: ObjectRef): ApiError {
    return fail(404, "NotFound", `${qualifiedResource(ref.resource)} "${ref.name ?? ""}" not found`, {
      name: ref.name ?? "",
      group: GROUP,
      kind: ref.resource,
    });
  },
  namespaceNotFound(namespace: string): ApiError {
    return fail(404, "NotFound", `namespaces "${namespace}" not found`, {
      name: namespace,
      kind: "namespaces",
    });
  },
  alreadyExists(ref: ObjectRef): ApiError {
    return fail(
      409,
      "AlreadyExists",
      `${qualifiedResource(ref.resource)} "${ref.name ?? ""}" already exists`,
      {
        name: ref.name ?? "",
        group: GROUP,
        kind: ref.resource,
      },
    );
  },
  conflict(ref: ObjectRef, why: string): ApiError {
    return fail(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualifiedResource(ref.resource)} "${ref.name ?? ""}": ${why}`,
      { name: ref.name ?? "", group: GROUP, kind: ref.resource },
    );
  },
  staleResourceVersion(ref: ObjectRef): ApiError {
    return errors.conflict(
      ref,
      "the object has been modified; please apply your changes to the latest version and try again",
    );
  },
  invalid(ref: ObjectRef, causes: StatusCause[]): ApiError {
    const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? "")));
    const joined = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
    return fail(422, "Invalid", `${ref.kind}.${GROUP} "${ref.name ?? ""}" is invalid: ${joined}`, {
      name: ref.name ?? "",
      group: GROUP,
      kind: ref.kind,
      causes,
    });
  },
  /** Invalid request options (CreateOptions, ListOptions...), as kube-apiserver reports them. */
  invalidOptions(kind: string, causes: StatusCause[]): ApiError {
    const list = causes.map((c) => `${c.field}: ${c.message}`);
    const joined = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
    return fail(422, "Invalid", `${kind}.meta.k8s.io "" is invalid: ${joined}`, {
      group: "meta.k8s.io",
      kind,
      causes,
    });
  },
  forbidden(ref: ObjectRef, why: string): ApiError {
    const subject = ref.name
      ? `${qualifiedResource(ref.resource)} "${ref.name}"`
      : qualifiedResource(ref.resource);
    return fail(403, "Forbidden", `${subject} is forbidden: ${why}`, {
      ...(ref.name ? { name: ref.name } : {}),
      group: GROUP,
      kind: ref.resource,
    });
  },
  unauthorized(message = "Unauthorized"): ApiError {
    return fail(401, "Unauthorized", message);
  },
  /** A caller whose credential is good but may not be used now (e.g. two-factor not set up). */
  forbiddenCaller(message: string): ApiError {
    return fail(403, "Forbidden", message);
  },
  badRequest(message: string): ApiError {
    return fail(400, "BadRequest", message);
  },
  methodNotAllowed(ref: ObjectRef, action: string): ApiError {
    return fail(
      405,
      "MethodNotAllowed",
      `${action} is not supported on resources of kind "${qualifiedResource(ref.resource)}"`,
      { group: GROUP, kind: ref.resource },
    );
  },
  unsupportedMediaType(contentType: string, accepted: readonly string[]): ApiError {
    return fail(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format${contentType ? ` (${contentType})` : ""} - accepted media types include: ${accepted.join(", ")}`,
    );
  },
  notAcceptable(message: string): ApiError {
    return fail(406, "NotAcceptable", message);
  },
  requestEntityTooLarge(limit = MAX_REQUEST_BODY_BYTES): ApiError {
    return fail(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limit}`);
  },
  expired(message: string): ApiError {
    return fail(410, "Expired", message);
  },
  tooLargeResourceVersion(requested: bigint, current: bigint): ApiError {
    return fail(504, "Timeout", `Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: 1,
    });
  },
  notFoundPath(path: string): ApiError {
    return fail(404, "NotFound", `the server could not find the requested resource (${path})`, {
      causes: [{ reason: "UnexpectedServerResponse", message: "404 page not found" }],
    });
  },
  internal(message = INTERNAL_ERROR_MESSAGE): ApiError {
    return fail(500, "InternalError", `Internal error occurred: ${message}`, {
      causes: [{ message }],
    });
  },
  serviceUnavailable(message: string): ApiError {
    return fail(503, "ServiceUnavailable", message);
  },
};

/**
 * Maps a service field name ("php.memoryLimit", "env.2.value", "domain") to the object's field
 * path ("spec.php.memoryLimit", "spec.env[2].value", "spec.primaryDomain").
 */
export type FieldMapper = (serviceField: string) => string;

export function kubeFieldPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number" || /^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** "php.memoryLimit" -> ["php", "memoryLimit"]; "env.2.value" -> ["env", 2, "value"]. */
export function splitServiceField(field: string): (string | number)[] {
  return field.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The Status for anything a request handler threw. */
export function toApiError(err: unknown, ref: ObjectRef, mapField?: FieldMapper): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof AppError) {
    switch (err.code) {
      case "NOT_FOUND":
        return errors.notFound(ref);
      case "FORBIDDEN":
      case "LIMIT_EXCEEDED":
        return errors.forbidden(ref, err.message);
      case "UNAUTHENTICATED":
        return errors.unauthorized(err.message);
      case "CONFLICT":
        return errors.conflict(ref, err.message);
      case "INVALID_INPUT": {
        const entries = Object.entries(err.fieldErrors ?? {});
        const causes: StatusCause[] =
          entries.length === 0
            ? [{ reason: "FieldValueInvalid", message: err.message }]
            : entries.map(([field, message]) => ({
                reason: "FieldValueInvalid",
                message: `Invalid value: ${message}`,
                field: field === "_form" ? "spec" : (mapField?.(field) ?? `spec.${field}`),
              }));
        return errors.invalid(ref, causes);
      }
      case "UNAVAILABLE":
        return errors.serviceUnavailable(err.message);
      case "INTERNAL":
        return errors.internal();
    }
  }
  if (isDatabaseUnavailable(err)) {
    log.warn("database unavailable", {
      event: "db.unavailable",
      err,
      resource: ref.resource,
      name: ref.name,
    });
    return errors.serviceUnavailable(DATABASE_UNAVAILABLE_MESSAGE);
  }
  log.error("unexpected error in the API server", { err, resource: ref.resource, name: ref.name });
  return errors.internal();
}
