import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, errorCodesOf, openApiDocument } from "@/lib/api/openapi/document";
import { API_OPERATIONS, API_TAGS, HTTP_METHODS } from "@/lib/api/openapi/routes";
import { APP_ERROR_CODES, httpStatusFor } from "@/lib/errors";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const API_DIR = path.join(ROOT, "app", "api", "v1");
const ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

interface RouteExport {
  /** "POST /api/v1/accounts/{accountId}/sites" */
  key: string;
  method: string;
  path: string;
  file: string;
  /** The source of this export, up to the next one. */
  source: string;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

/** What app/api/v1 really exposes, read from the files on disk: each exported HTTP method. */
function routeExports(): RouteExport[] {
  return routeFiles(API_DIR).flatMap((file) => {
    const segments = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
    const routePath = `/${segments
      .filter((part) => !/^\(.*\)$/.test(part))
      .map((part) => part.replace(/^\[(\w+)\]$/, "{$1}"))
      .join("/")}`;
    const text = readFileSync(file, "utf8");
    const exportPattern = new RegExp(
      `^export\\s+(?:const|(?:async\\s+)?function)\\s+(${ALL_METHODS.join("|")})\\b`,
      "gm",
    );
    const matches = [...text.matchAll(exportPattern)];
    return matches.map((match, i) => ({
      key: `${match[1]} ${routePath}`,
      method: match[1] as string,
      path: routePath,
      file: path.relative(ROOT, file),
      source: text.slice(match.index, matches[i + 1]?.index ?? text.length),
    }));
  });
}

const exports = routeExports();
const document = buildOpenApiDocument();
type Operation = {
  operationId: string;
  tags: string[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref: string } }> }>;
  security?: Record<string, string[]>[];
};
const documented = Object.entries(document.paths).flatMap(([p, item]) =>
  Object.entries(item).map(([method, op]) => ({
    key: `${method.toUpperCase()} ${p}`,
    path: p,
    op: op as unknown as Operation,
  })),
);

describe("the OpenAPI document against the route files", () => {
  it("finds the route files", () => {
    expect(exports.length).toBeGreaterThan(50);
    expect(exports.map((e) => e.key)).toContain("POST /api/v1/accounts/{accountId}/sites");
  });

  it("documents every exported method of every route file under app/api/v1", () => {
    const keys = new Set(documented.map((d) => d.key));
    const missing = exports.filter((e) => !keys.has(e.key)).map((e) => `${e.key} (${e.file})`);
    expect(missing, "routes missing from lib/api/openapi/routes.ts").toEqual([]);
  });

  it("documents nothing that no route file exports", () => {
    const keys = new Set(exports.map((e) => e.key));
    const stale = documented.filter((d) => !keys.has(d.key)).map((d) => d.key);
    expect(stale, "operations in lib/api/openapi/routes.ts without a route").toEqual([]);
  });

  it("exports only the methods the document can describe", () => {
    const other = exports.filter((e) => !(HTTP_METHODS as readonly string[]).includes(e.method));
    expect(other.map((e) => e.key)).toEqual([]);
  });

  it("names each withActor route as the document's path", () => {
    const wrong = exports.flatMap((e) => {
      const name = /name:\s*"([^"]+)"/.exec(e.source)?.[1];
      if (!e.source.includes("withActor(")) return [];
      const expected = `${e.method} ${e.path.replace(/\{(\w+)\}/g, ":$1")}`;
      return name === expected ? [] : [`${e.key}: name ${name ?? "(none)"}, expected ${expected}`];
    });
    expect(wrong).toEqual([]);
  });

  it("marks the session-only and public routes as their handlers are", () => {
    const byKey = new Map(API_OPERATIONS.map((op) => [`${op.method} ${op.path}`, op]));
    const wrong = exports.flatMap((e) => {
      const op = byKey.get(e.key);
      if (!op) return [];
      const sessionOnly = /\bsessionOnly:/.test(e.source);
      const isPublic = !e.source.includes("withActor(");
      const problems: string[] = [];
      if (sessionOnly !== Boolean(op.sessionOnly)) problems.push(`${e.key}: sessionOnly ${sessionOnly}`);
      if (isPublic !== Boolean(op.public)) problems.push(`${e.key}: public ${isPublic}`);
      return problems;
    });
    expect(wrong).toEqual([]);
  });
});

/** Every zod schema the validation modules export, by name: what routes and services parse with. */
const namedSchemas = new Map<string, unknown>(
  Object.entries(
    import.meta.glob<Record<string, unknown>>(["../../validation/*.ts", "../params.ts", "!**/*.test.ts"], {
      eager: true,
    }),
  ).flatMap(([, mod]) => Object.entries(mod)),
);

/** The names of the schemas a source parses its input with. */
function parsedSchemaNames(source: string): string[] {
  return [
    ...[...source.matchAll(/\bparse(?:Input|With)\(\s*(\w+)/g)].map((m) => m[1] as string),
    ...[...source.matchAll(/\b(\w+)\.(?:safeParse|parse)\(/g)].map((m) => m[1] as string),
  ].filter((name) => name !== "z");
}

/** The services an export calls, read from its route file's imports, with their source. */
function calledServices(e: RouteExport): string[] {
  const text = readFileSync(path.join(ROOT, e.file), "utf8");
  return [...text.matchAll(/import \{ (\w+) \} from "@\/(lib\/services\/[^"]+)";/g)]
    .filter(([, name]) => new RegExp(`\\b${name}\\(`).test(e.source))
    .map(([, , module]) => readFileSync(path.join(ROOT, `${module}.ts`), "utf8"));
}

/** Documented inputs the code reads without a schema of its own (resumeFrom ignores a bad `since`). */
const UNPARSED_INPUTS = new Set(["GET /api/v1/events query"]);

describe("the documented request schemas against the code", () => {
  const byKey = new Map(API_OPERATIONS.map((op) => [`${op.method} ${op.path}`, op]));

  for (const part of ["body", "query"] as const) {
    it(`documents as the ${part} the very schema the handler or its service parses it with`, () => {
      const reads = part === "body" ? /readJson\(req\)/ : /searchParams/;
      const wrong = exports.flatMap((e) => {
        const op = byKey.get(e.key);
        if (!op) return [];
        const documentedSchema = op[part];
        if (!reads.test(e.source)) {
          return documentedSchema ? [`${e.key}: documents a ${part} it does not read`] : [];
        }
        if (UNPARSED_INPUTS.has(`${e.key} ${part}`)) return [];
        const names = [
          ...parsedSchemaNames(e.source),
          ...calledServices(e).flatMap((service) => parsedSchemaNames(service)),
        ];
        const parsed = names.map((name) => namedSchemas.get(name)).filter(Boolean);
        if (!documentedSchema) return [`${e.key}: reads a ${part} the document does not describe`];
        return parsed.includes(documentedSchema)
          ? []
          : [`${e.key}: the documented ${part} is none of the schemas parsed (${names.join(", ")})`];
      });
      expect(wrong).toEqual([]);
    });
  }
});

describe("the OpenAPI document's structure", () => {
  it("validates against the OpenAPI 3.1 specification and its schema", async () => {
    // The parser dereferences what it is given: a copy keeps the document as served.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it("is OpenAPI 3.1 with the two ways to authenticate", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(["bearerToken", "sessionCookie"]);
    expect(document.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
  });

  it("declares every path parameter its template has, and no other", () => {
    const wrong = documented.flatMap(({ key, path: p, op }) => {
      const inTemplate = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? [])
        .filter((param) => param.in === "path")
        .map((param) => param.name)
        .sort();
      const notRequired = (op.parameters ?? []).filter((param) => param.in === "path" && !param.required);
      return JSON.stringify(inTemplate) === JSON.stringify(declared) && notRequired.length === 0
        ? []
        : [`${key}: template ${inTemplate.join(",")}, declared ${declared.join(",")}`];
    });
    expect(wrong).toEqual([]);
  });

  it("has no parameter twice in one operation", () => {
    const wrong = documented.filter(({ op }) => {
      const names = (op.parameters ?? []).map((param) => `${param.in}:${param.name}`);
      return new Set(names).size !== names.length;
    });
    expect(wrong.map((d) => d.key)).toEqual([]);
  });

  it("has unique operation ids and known tags", () => {
    const ids = documented.map((d) => d.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set<string>(API_TAGS.map((t) => t.name));
    expect(documented.filter((d) => !d.op.tags.every((t) => tags.has(t))).map((d) => d.key)).toEqual([]);
  });

  it("resolves every $ref", () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    const unresolved = refs.filter((ref) => {
      const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
      return !match || !((match[1] as string) in document.components.schemas);
    });
    expect(unresolved).toEqual([]);
  });

  it("gives each response a description and each status a three-digit code", () => {
    const wrong = documented.flatMap(({ key, op }) =>
      Object.entries(op.responses)
        .filter(([status, r]) => !/^[1-5]\d\d$/.test(status) || !(r as { description?: string }).description)
        .map(([status]) => `${key} ${status}`),
    );
    expect(wrong).toEqual([]);
  });

  it("describes a request body for the operations that read one", () => {
    const op = document.paths["/api/v1/accounts/{accountId}/sites"]?.post as unknown as Operation;
    expect(op.requestBody?.content["application/json"]?.schema.$ref).toBe(
      "#/components/schemas/CreateSiteRequest",
    );
    const body = document.components.schemas.CreateSiteRequest as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["name", "domain"]));
    expect(body.required).toEqual(expect.arrayContaining(["name", "domain"]));
  });

  it("describes what a preprocessed field accepts, not the function that normalizes it", () => {
    const body = document.components.schemas.CreateApiTokenRequest as {
      properties: { expiresInDays: { anyOf: unknown[] } };
    };
    expect(body.properties.expiresInDays.anyOf).toContainEqual({ type: "null" });
  });
});

describe("the error responses", () => {
  it("share one error shape whose codes are lib/errors.ts's, with their statuses", () => {
    const error = document.components.schemas.Error as {
      properties: { error: { properties: { code: { enum: string[] } } } };
      "x-sitepod-error-statuses": Record<string, number>;
    };
    expect(error.properties.error.properties.code.enum).toEqual([...APP_ERROR_CODES]);
    for (const code of APP_ERROR_CODES) {
      expect(error["x-sitepod-error-statuses"][code]).toBe(httpStatusFor(code));
    }
  });

  it("lists each error code an operation can answer under its status", () => {
    const createSite = API_OPERATIONS.find((op) => op.operationId === "createSite");
    if (!createSite) throw new Error("createSite is not declared");
    const codes = errorCodesOf(createSite);
    expect(codes).toEqual(
      expect.arrayContaining(["UNAUTHENTICATED", "TOKEN_REVOKED", "FORBIDDEN", "NOT_FOUND", "INVALID_INPUT"]),
    );
    const op = document.paths["/api/v1/accounts/{accountId}/sites"]?.post as unknown as Operation;
    for (const code of codes) {
      expect(op.responses[String(httpStatusFor(code))]?.content?.["application/json"]?.schema?.$ref).toBe(
        "#/components/schemas/Error",
      );
    }
  });

  it("asks no credentials of the public routes and only the session of session-only ones", () => {
    const get = (p: string, m: string) =>
      (document.paths as Record<string, Record<string, Operation>>)[p]?.[m] as Operation;
    expect(get("/api/v1/openapi.json", "get").security).toEqual([]);
    expect(get("/api/v1/openapi.json", "get").responses["401"]).toBeUndefined();
    expect(get("/api/v1/accounts/{accountId}/api-tokens", "post").security).toEqual([{ sessionCookie: [] }]);
    expect(get("/api/v1/accounts/{accountId}/sites", "post").security).toBeUndefined();
  });
});

describe("openApiDocument", () => {
  it("builds the document once", () => {
    expect(openApiDocument()).toBe(openApiDocument());
  });

  it("refuses an operation declared twice", () => {
    const [first] = API_OPERATIONS;
    if (!first) throw new Error("no operations");
    expect(() => buildOpenApiDocument([first, first])).toThrow(/declared twice/);
  });
});
