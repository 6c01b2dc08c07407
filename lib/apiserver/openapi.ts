/**
 * OpenAPI v3 for hosting.sitepod.io/v1alpha1, in the layout kube-apiserver publishes
 * (/openapi/v3 lists group-versions; each has its document), so that `kubectl explain` finds each
 * kind by its x-kubernetes-group-version-kind and kubectl sees that PATCH takes fieldValidation
 * (it then lets the server validate). Specs and statuses are generated from the kinds' zod
 * schemas, themselves built from lib/validation: the document cannot drift from what is enforced.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { AnyResource } from "./resources/resource";
import { GROUP, VERSION } from "./types";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export function schemaName(kind: string): string {
  return `${GROUP.split(".").reverse().join(".")}.${VERSION}.${kind}`;
}

const str = (description: string) => ({ type: "string", description });

/** The apimachinery types the kinds refer to (trimmed to what these kinds use). */
function metaSchemas(): Record<string, unknown> {
  const stringMap = (description: string) => ({
    type: "object",
    additionalProperties: { type: "string", default: "" },
    description,
  });
  return {
    [`${META}.Time`]: { type: "string", format: "date-time", description: "RFC 3339 date and time, in UTC." },
    [`${META}.FieldsV1`]: {
      type: "object",
      description: "The set of fields a manager owns, in the FieldsV1 format of server-side apply.",
    },
    [`${META}.ManagedFieldsEntry`]: {
      type: "object",
      description: "Which fields a field manager (e.g. kubectl) set, and how.",
      properties: {
        apiVersion: str("The version of the resource the fields were set in."),
        fieldsType: str('Always "FieldsV1".'),
        fieldsV1: { allOf: [ref(`${META}.FieldsV1`)], description: "The fields the manager owns." },
        manager: str("The manager's name (the fieldManager of its requests)."),
        operation: str('"Apply" (server-side apply) or "Update" (create, update, patch).'),
        time: {
          allOf: [ref(`${META}.Time`)],
          description: "When the manager last changed one of its fields.",
        },
      },
    },
    [`${META}.ObjectMeta`]: {
      type: "object",
      description: "Standard object metadata.",
      properties: {
        name: str("The object's name, unique in its namespace. Cannot change."),
        namespace: str("The account's short name (slug): every account is a namespace."),
        uid: str("The object's id in Sitepod."),
        resourceVersion: str(
          "The id of the object's latest change in Sitepod's change log. Send it back in an update to have it refused (409 Conflict) if the object changed since you read it.",
        ),
        generation: { type: "integer", format: "int64", description: "Bumped on every change of the spec." },
        creationTimestamp: { allOf: [ref(`${META}.Time`)], description: "When the object was created." },
        deletionTimestamp: {
          allOf: [ref(`${META}.Time`)],
          description:
            "Set once a deletion was requested; the object goes away when Sitepod has removed what it made for it.",
        },
        deletionGracePeriodSeconds: { type: "integer", format: "int64", description: "Always 0." },
        labels: stringMap("Labels, stored as sent; select with -l."),
        annotations: stringMap(
          "Annotations, stored as sent (kubectl apply keeps its last-applied configuration here).",
        ),
        finalizers: {
          type: "array",
          items: { type: "string", default: "" },
          description: "Present while a deletion is in progress.",
          "x-kubernetes-list-type": "set",
        },
        managedFields: {
          type: "array",
          items: { allOf: [ref(`${META}.ManagedFieldsEntry`)], default: {} },
          description: "Which field manager owns which fields (server-side apply).",
        },
        generateName: str("Not supported: objects need a name."),
      },
    },
    [`${META}.ListMeta`]: {
      type: "object",
      description: "Standard list metadata.",
      properties: {
        resourceVersion: str("Where a watch started from this list continues."),
        continue: str("Set when there are more items: pass it as ?continue= for the next page."),
        remainingItemCount: { type: "integer", format: "int64" },
      },
    },
    [`${META}.StatusCause`]: {
      type: "object",
      properties: {
        field: str("The field at fault."),
        message: str("What is wrong."),
        reason: str("A machine-readable reason."),
      },
    },
    [`${META}.StatusDetails`]: {
      type: "object",
      properties: {
        causes: { type: "array", items: { allOf: [ref(`${META}.StatusCause`)], default: {} } },
        group: str(""),
        kind: str(""),
        name: str(""),
        retryAfterSeconds: { type: "integer", format: "int32" },
        uid: str(""),
      },
    },
    [`${META}.Status`]: {
      type: "object",
      description: "The answer to a failed request (and to a delete that finished at once).",
      properties: {
        apiVersion: str(""),
        kind: str(""),
        code: { type: "integer", format: "int32", description: "The HTTP status code." },
        details: { allOf: [ref(`${META}.StatusDetails`)] },
        message: str("What happened, for people."),
        metadata: { allOf: [ref(`${META}.ListMeta`)], default: {} },
        reason: str("Why, for programs (NotFound, AlreadyExists, Conflict, Invalid, Expired...)."),
        status: str('"Success" or "Failure".'),
      },
      "x-kubernetes-group-version-kind": [{ group: "", kind: "Status", version: "v1" }],
    },
    [`${META}.Preconditions`]: {
      type: "object",
      properties: { resourceVersion: str("Delete only this version."), uid: str("Delete only this object.") },
    },
    [`${META}.DeleteOptions`]: {
      type: "object",
      description: "Options of a delete.",
      properties: {
        apiVersion: str(""),
        kind: str(""),
        dryRun: { type: "array", items: { type: "string", default: "" } },
        gracePeriodSeconds: { type: "integer", format: "int64" },
        preconditions: { allOf: [ref(`${META}.Preconditions`)] },
        propagationPolicy: str("Accepted and ignored: Sitepod removes what an object owns itself."),
      },
      "x-kubernetes-group-version-kind": [{ group: "", kind: "DeleteOptions", version: "v1" }],
    },
    [`${META}.WatchEvent`]: {
      type: "object",
      required: ["type", "object"],
      properties: { object: { type: "object" }, type: str("ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.") },
    },
  };
}

/** A zod schema as an OpenAPI 3.0 schema (no $schema, no definitions left outside). */
function fromZod(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "openapi-3.0" }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
}

const gvk = (kind: string) => ({ group: GROUP, version: VERSION, kind });

function kindSchemas(resource: AnyResource): Record<string, unknown> {
  const name = schemaName(resource.kind);
  const common = {
    apiVersion: str(`"${GROUP}/${VERSION}".`),
    kind: str(`"${resource.kind}".`),
  };
  return {
    [name]: {
      type: "object",
      description: resource.description,
      properties: {
        ...common,
        metadata: {
          allOf: [ref(`${META}.ObjectMeta`)],
          default: {},
          description: "Standard object metadata.",
        },
        spec: fromZod(resource.specSchema, "input"),
        status: fromZod(resource.statusSchema, "output"),
      },
      "x-kubernetes-group-version-kind": [gvk(resource.kind)],
    },
    [`${name}List`]: {
      type: "object",
      description: `A list of ${resource.plural}.`,
      required: ["items"],
      properties: {
        apiVersion: str(`"${GROUP}/${VERSION}".`),
        kind: str(`"${resource.kind}List".`),
        items: { type: "array", items: ref(name) },
        metadata: { allOf: [ref(`${META}.ListMeta`)], default: {} },
      },
      "x-kubernetes-group-version-kind": [gvk(`${resource.kind}List`)],
    },
  };
}

const query = (name: string, description: string, type: "string" | "boolean" | "integer" = "string") => ({
  name,
  in: "query",
  description,
  schema: { type, uniqueItems: true },
});

const PARAMS = {
  dryRun: query("dryRun", "All: run every check and write nothing."),
  fieldManager: query(
    "fieldManager",
    "The name of the actor making the change (server-side apply's field manager).",
  ),
  fieldValidation: query(
    "fieldValidation",
    "Ignore, Warn (the default: a Warning header per unknown field) or Strict (unknown fields refused).",
  ),
  force: query("force", "Server-side apply: take over fields other managers own.", "boolean"),
  pretty: query("pretty", "Accepted and ignored.", "string"),
  allowWatchBookmarks: query("allowWatchBookmarks", "Send BOOKMARK events.", "boolean"),
  continue: query("continue", "The continue token of the previous page."),
  fieldSelector: query("fieldSelector", "metadata.name and metadata.namespace, with =, == and !=."),
  labelSelector: query("labelSelector", "A Kubernetes label selector."),
  limit: query("limit", "At most this many items; the list then carries a continue token.", "integer"),
  resourceVersion: query("resourceVersion", "Watch: the version to continue from."),
  resourceVersionMatch: query("resourceVersionMatch", "NotOlderThan or Exact."),
  sendInitialEvents: query(
    "sendInitialEvents",
    "Watch: start with the current objects, then a bookmark.",
    "boolean",
  ),
  timeoutSeconds: query("timeoutSeconds", "Watch: end after this many seconds (at most 1800).", "integer"),
  watch: query("watch", "Stream changes instead of listing.", "boolean"),
  gracePeriodSeconds: query("gracePeriodSeconds", "Accepted and ignored.", "integer"),
  propagationPolicy: query("propagationPolicy", "Accepted and ignored.", "string"),
};

const json = (schema: unknown) => ({ "application/json": { schema } });

function operations(resource: AnyResource) {
  const name = schemaName(resource.kind);
  const ext = (action: string) => ({
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk(resource.kind),
  });
  const ok = (schema: unknown) => ({ description: "OK", content: json(schema) });
  const listParams = [
    PARAMS.allowWatchBookmarks,
    PARAMS.continue,
    PARAMS.fieldSelector,
    PARAMS.labelSelector,
    PARAMS.limit,
    PARAMS.pretty,
    PARAMS.resourceVersion,
    PARAMS.resourceVersionMatch,
    PARAMS.sendInitialEvents,
    PARAMS.timeoutSeconds,
    PARAMS.watch,
  ];
  const writeParams = [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation, PARAMS.pretty];
  const title = resource.kind;
  return {
    list: {
      description: `list or watch objects of kind ${title}`,
      operationId: `list${title}`,
      parameters: listParams,
      responses: { "200": ok(ref(`${name}List`)), "401": { description: "Unauthorized" } },
      ...ext("list"),
    },
    create: {
      description: `create a ${title}`,
      operationId: `create${title}`,
      parameters: writeParams,
      requestBody: { content: json(ref(name)), required: true },
      responses: { "200": ok(ref(name)), "201": { description: "Created", content: json(ref(name)) } },
      ...ext("post"),
    },
    get: {
      description: `read the specified ${title}`,
      operationId: `read${title}`,
      parameters: [PARAMS.pretty],
      responses: { "200": ok(ref(name)) },
      ...ext("get"),
    },
    replace: {
      description: `replace the specified ${title}`,
      operationId: `replace${title}`,
      parameters: writeParams,
      requestBody: { content: json(ref(name)), required: true },
      responses: { "200": ok(ref(name)) },
      ...ext("put"),
    },
    patch: {
      description: `partially update the specified ${title}`,
      operationId: `patch${title}`,
      parameters: [...writeParams, PARAMS.force],
      requestBody: {
        content: {
          "application/apply-patch+yaml": { schema: { type: "object" } },
          "application/json-patch+json": { schema: { type: "object" } },
          "application/merge-patch+json": { schema: { type: "object" } },
        },
        required: true,
      },
      responses: { "200": ok(ref(name)), "201": { description: "Created", content: json(ref(name)) } },
      ...ext("patch"),
    },
    delete: {
      description: `delete a ${title}`,
      operationId: `delete${title}`,
      parameters: [PARAMS.dryRun, PARAMS.gracePeriodSeconds, PARAMS.propagationPolicy, PARAMS.pretty],
      requestBody: { content: json(ref(`${META}.DeleteOptions`)) },
      responses: { "200": ok(ref(name)), "202": { description: "Accepted", content: json(ref(name)) } },
      ...ext("delete"),
    },
  };
}

function paths(resources: readonly AnyResource[]): Record<string, unknown> {
  const base = `/apis/${GROUP}/${VERSION}`;
  const out: Record<string, unknown> = {};
  const nameParam = {
    name: "name",
    in: "path",
    required: true,
    description: "The object's name.",
    schema: { type: "string", uniqueItems: true },
  };
  const namespaceParam = {
    name: "namespace",
    in: "path",
    required: true,
    description: "The account's short name.",
    schema: { type: "string", uniqueItems: true },
  };
  for (const resource of resources) {
    const op = operations(resource);
    if (resource.namespaced) {
      out[`${base}/${resource.plural}`] = {
        get: { ...op.list, operationId: `list${resource.kind}ForAllNamespaces` },
      };
      out[`${base}/namespaces/{namespace}/${resource.plural}`] = {
        get: op.list,
        post: op.create,
        parameters: [namespaceParam],
      };
      out[`${base}/namespaces/{namespace}/${resource.plural}/{name}`] = {
        get: op.get,
        put: op.replace,
        patch: op.patch,
        delete: op.delete,
        parameters: [nameParam, namespaceParam],
      };
    } else {
      out[`${base}/${resource.plural}`] = { get: op.list, post: op.create };
      out[`${base}/${resource.plural}/{name}`] = {
        get: op.get,
        put: op.replace,
        patch: op.patch,
        delete: op.delete,
        parameters: [nameParam],
      };
    }
  }
  return out;
}

export function groupVersionDocument(resources: readonly AnyResource[]) {
  return {
    openapi: "3.0.0",
    info: { title: "Sitepod hosting.sitepod.io", version: VERSION },
    paths: paths(resources),
    components: {
      schemas: { ...metaSchemas(), ...Object.assign({}, ...resources.map(kindSchemas)) },
      securitySchemes: {
        BearerToken: { type: "apiKey", description: "Bearer token", name: "authorization", in: "header" },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

export const OPENAPI_GROUP_VERSION_PATH = `apis/${GROUP}/${VERSION}`;

/** The document once, with its hash (upper-case hex sha512, as kube-apiserver's). */
export function openApiDocuments(resources: readonly AnyResource[]) {
  const document = JSON.stringify(groupVersionDocument(resources));
  const hash = createHash("sha512").update(document).digest("hex").toUpperCase();
  return {
    document,
    hash,
    root: JSON.stringify({
      paths: {
        [OPENAPI_GROUP_VERSION_PATH]: {
          serverRelativeURL: `/openapi/v3/${OPENAPI_GROUP_VERSION_PATH}?hash=${hash}`,
        },
      },
    }),
  };
}
