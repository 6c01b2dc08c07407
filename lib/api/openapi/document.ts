/**
 * The OpenAPI 3.1 document of the REST API, built from the operations of routes.ts and the zod
 * schemas they name: nothing in it is written twice. Served at /api/v1/openapi.json and rendered
 * by the panel's API reference (/profile/api-reference).
 */
import { z } from "zod";
import { API_OPERATIONS, API_TAGS, type ApiOperation } from "@/lib/api/openapi/routes";
import { APP_ERROR_CODES, type AppErrorCode, httpStatusFor } from "@/lib/errors";

export const OPENAPI_DOCUMENT_PATH = "/api/v1/openapi.json";

type JsonSchema = Record<string, unknown>;

/** What each error code means to a client; the status comes from lib/errors.ts. */
const ERROR_MEANINGS: Record<AppErrorCode, string> = {
  UNAUTHENTICATED: "No session cookie and no API token, or the session ended.",
  NOT_FOUND: "The object does not exist or is not the caller's to see (the two are not told apart).",
  FORBIDDEN:
    "The caller's role does not allow this, a session-authenticated change did not come from the panel, or an API token was used for what only a signed-in person may do.",
  INVALID_INPUT: "The path, query or body is invalid: `fieldErrors` names each field.",
  CONFLICT: "The object's state does not allow this now (changed since read, being deleted, name taken...).",
  LIMIT_EXCEEDED: "The account's plan limit (or a rate limit) is reached.",
  UNAVAILABLE:
    "Something Sitepod depends on (its database, its mail server) is not set up or does not answer; nothing was changed, try again in a moment.",
  TOKEN_INVALID: "The bearer token is not one, or its owner lost access to its account.",
  TOKEN_REVOKED: "The bearer token was revoked.",
  TOKEN_EXPIRED: "The bearer token is past its expiry.",
  INTERNAL: "Something went wrong on Sitepod's side; the message says nothing more.",
};

const TOKEN_CODES: readonly AppErrorCode[] = ["TOKEN_INVALID", "TOKEN_REVOKED", "TOKEN_EXPIRED"];

/** The codes an operation can answer: those of its kind (authenticated, with input) and its own. */
export function errorCodesOf(op: ApiOperation): AppErrorCode[] {
  const codes = new Set<AppErrorCode>(op.errors ?? []);
  if (!op.public) {
    for (const code of ["UNAUTHENTICATED", ...TOKEN_CODES, "FORBIDDEN"] as const) codes.add(code);
  }
  if (op.params) codes.add("NOT_FOUND");
  if (op.params || op.query || op.body) codes.add("INVALID_INPUT");
  // Any call reads the database, which may be restarting.
  codes.add("UNAVAILABLE");
  codes.add("INTERNAL");
  return APP_ERROR_CODES.filter((code) => codes.has(code));
}

/** A zod schema as a JSON Schema 2020-12 (OpenAPI 3.1's dialect), as a client sends it. */
export function requestSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
    override: ({ zodSchema, jsonSchema }) => {
      // z.preprocess(fn, schema) normalizes what clients send (a string "30" for 30): describe
      // the schema it normalizes to, not the function's unknown input.
      const def = zodSchema._zod.def;
      if (def.type === "pipe" && def.in._zod.def.type === "transform") {
        const inner = requestSchema(def.out as z.ZodType);
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        Object.assign(jsonSchema, inner);
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  if ("$defs" in json) {
    // Recursive schemas would need their definitions moved under components; none is, today.
    throw new Error("A request schema with $defs cannot be inlined into the OpenAPI document.");
  }
  return json;
}

function parametersOf(schema: z.ZodObject, where: "path" | "query"): JsonSchema[] {
  const json = requestSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

export function requestBodySchemaName(op: ApiOperation): string {
  return `${pascal(op.operationId)}Request`;
}

function responsesOf(op: ApiOperation): Record<string, JsonSchema> {
  const success = op.success;
  const contentType = success.contentType === undefined ? "application/json" : success.contentType;
  const responses: Record<string, JsonSchema> = {
    [String(success.status)]: {
      description: success.description,
      ...(contentType ? { content: { [contentType]: {} } } : {}),
    },
  };
  const byStatus = new Map<number, AppErrorCode[]>();
  for (const code of errorCodesOf(op)) {
    const status = httpStatusFor(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((code) => `${code}: ${ERROR_MEANINGS[code]}`).join("\n\n"),
      content: {
        "application/json": {
          schema: { $ref: "#/components/schemas/Error" },
          ...(codes.length === 1 ? { example: { error: { code: codes[0], message: "…" } } } : {}),
        },
      },
    };
  }
  return responses;
}

function securityOf(op: ApiOperation): JsonSchema[] | undefined {
  if (op.public) return [];
  if (op.sessionOnly) return [{ sessionCookie: [] }];
  return undefined; // the document's default: either scheme
}

function operationObject(op: ApiOperation): JsonSchema {
  const parameters = [
    ...(op.params ? parametersOf(op.params, "path") : []),
    ...(op.query ? parametersOf(op.query, "query") : []),
  ];
  const notes = [
    op.description,
    op.sessionOnly ? "Only with the session cookie: an API token is refused with FORBIDDEN." : undefined,
    op.public ? "Open to anyone: no authentication." : undefined,
  ].filter(Boolean);
  const security = securityOf(op);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(notes.length > 0 ? { description: notes.join("\n\n") } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: { $ref: `#/components/schemas/${requestBodySchemaName(op)}` },
              },
            },
          },
        }
      : {}),
    responses: responsesOf(op),
    ...(security ? { security } : {}),
  };
}

const errorSchema: JsonSchema = {
  type: "object",
  description: `Every failure. The HTTP status follows from the code: ${APP_ERROR_CODES.map(
    (code) => `${code} ${httpStatusFor(code)}`,
  ).join(", ")}.`,
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: [...APP_ERROR_CODES] },
        message: { type: "string", description: "For people: shown as it is." },
        fieldErrors: {
          type: "object",
          description: "With INVALID_INPUT: a message per invalid field, keyed by its name.",
          additionalProperties: { type: "string" },
        },
      },
    },
  },
  "x-sitepod-error-statuses": Object.fromEntries(APP_ERROR_CODES.map((code) => [code, httpStatusFor(code)])),
};

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

export function buildOpenApiDocument(operations: readonly ApiOperation[] = API_OPERATIONS) {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const schemas: Record<string, JsonSchema> = { Error: errorSchema };
  for (const op of operations) {
    const item = paths[op.path] ?? {};
    paths[op.path] = item;
    if (item[op.method.toLowerCase()]) throw new Error(`${op.method} ${op.path} is declared twice.`);
    item[op.method.toLowerCase()] = operationObject(op);
    if (op.body) schemas[requestBodySchemaName(op)] = requestSchema(op.body);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Sitepod REST API",
      version: "v1",
      description:
        "The REST API of the Sitepod panel. Authenticate with an API token (`Authorization: Bearer sp_…`, created on an account's API tokens page) or, from the panel's own pages, the session cookie. Changes made with the session cookie must come from the panel's origin. Every failure answers `{ error: { code, message, fieldErrors? } }`.",
    },
    tags: API_TAGS.map((tag) => ({ ...tag })),
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "sp_…",
          description:
            "An API token: it acts for the person who created it, on its account and the accounts below, with the role it was given.",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "authjs.session-token",
          description:
            "The panel's session (named `__Secure-authjs.session-token` over HTTPS). Changes must come from the panel's own origin.",
        },
      },
      schemas,
    },
  };
}

let cached: OpenApiDocument | undefined;

/** The document, built once per process (the operations do not change while it runs). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
