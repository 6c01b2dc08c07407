/** Request and response plumbing: bodies with a size limit, content negotiation, JSON answers. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { errors, MAX_REQUEST_BODY_BYTES } from "./status";
import type { Status } from "./types";

/** Reads the body, refusing more than `limit` bytes with 413 (before reading it, when announced). */
export async function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const announced = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(announced) && announced > limit) {
    req.resume();
    throw errors.requestEntityTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      req.resume();
      throw errors.requestEntityTooLarge(limit);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-cased ("application/merge-patch+json"). */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export function decodeJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

export function decodeYaml(body: Buffer): unknown {
  try {
    return parseYaml(body.toString("utf8"), { maxAliasCount: 100 });
  } catch (err) {
    throw errors.badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
}

/** An object sent with POST or PUT: JSON, or YAML when the client says so. */
export function decodeObjectBody(contentType: string | undefined, body: Buffer): unknown {
  const type = mediaType(contentType);
  if (type === "application/yaml" || type === "application/x-yaml") return decodeYaml(body);
  if (type === "" || type === "application/json" || type === "*/*") return decodeJson(body);
  throw errors.unsupportedMediaType(type, ["application/json", "application/yaml"]);
}

export interface Accept {
  /** A metav1.Table was asked for (as=Table;g=meta.k8s.io;v=v1 or v1beta1). */
  table: boolean;
  /** PartialObjectMetadata(List) was asked for. */
  partialMetadata: boolean;
  /** Aggregated discovery (apidiscovery.k8s.io/v2). */
  aggregatedDiscovery: boolean;
  /** Whether the client takes plain JSON at all (else 406 for what has no other form). */
  json: boolean;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: "*/*", params: {} }];
  return header.split(",").map((part) => {
    const [type = "", ...rest] = part.split(";").map((p) => p.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq > 0) params[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1);
    }
    return { type: type.toLowerCase(), params };
  });
}

/** What the client asks for, in its order of preference (the first we can serve wins). */
export function negotiate(header: string | undefined): Accept {
  const ranges = parseAccept(header);
  const out: Accept = { table: false, partialMetadata: false, aggregatedDiscovery: false, json: false };
  for (const range of ranges) {
    const jsonish =
      range.type === "application/json" || range.type === "*/*" || range.type === "application/*";
    if (!jsonish) continue;
    const { as, g, v } = range.params;
    if (as === undefined) {
      out.json = true;
      break;
    }
    if (as === "Table" && g === "meta.k8s.io" && (v === "v1" || v === "v1beta1")) {
      out.table = true;
      break;
    }
    if ((as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") && g === "meta.k8s.io") {
      out.partialMetadata = true;
      break;
    }
    if (as === "APIGroupDiscoveryList" && g === "apidiscovery.k8s.io" && v === "v2") {
      out.aggregatedDiscovery = true;
      break;
    }
  }
  return out;
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  options: { contentType?: string; warnings?: readonly string[]; headers?: Record<string, string> } = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.statusCode = code;
  res.setHeader("Content-Type", options.contentType ?? "application/json");
  res.setHeader("Cache-Control", "no-cache, private");
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  const warnings = options.warnings ?? [];
  if (warnings.length > 0) res.setHeader("Warning", warnings.map(warningHeader));
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/** RFC 7234 warning, code 299, as kube-apiserver writes them. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text.replace(/[\r\n]/g, " "))}`;
}

export function sendStatus(res: ServerResponse, status: Status, warnings: readonly string[] = []): void {
  sendJson(res, status.code, status, { warnings });
}
