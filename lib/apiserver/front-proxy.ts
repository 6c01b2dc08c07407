/**
 * Front-proxy ("request header") authentication, as k8s.io/apiserver's requestheader
 * authenticator does it for aggregated API servers. Registered into a cluster (deploy/aggregation.yaml),
 * this server is reached through the cluster's kube-apiserver, which has already authenticated the
 * user, and which proxies the request with its own client certificate (--proxy-client-cert-file)
 * and the user in headers (X-Remote-User, X-Remote-Group, X-Remote-Extra-<key>).
 *
 * The headers are believed only on a connection whose client certificate verifies against the
 * request-header CA (and whose common name is allowed, when a list is given): anybody can send
 * headers, only the front proxy holds that certificate. Without it the headers are ignored and the
 * request authenticates as any other (an API token, or 401).
 *
 * Configured by SITEPOD_APISERVER_REQUESTHEADER_* (requestHeaderConfigFromEnv) or read from the
 * cluster's kube-system/extension-apiserver-authentication ConfigMap, as real aggregated servers do
 * (requestHeaderConfigFromConfigMap).
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { z } from "zod";

export interface RequestHeaderConfig {
  /** PEM: the CA (or CAs) that signs the front proxy's client certificate. */
  clientCA: string;
  /** Common names the front proxy's certificate may have; empty: any the CA signed. */
  allowedNames: readonly string[];
  /** Headers naming the user, in order; the first with a value wins. */
  usernameHeaders: readonly string[];
  /** Headers naming the user's uid (Kubernetes 1.32+ sends X-Remote-Uid). */
  uidHeaders: readonly string[];
  /** Headers whose every value is a group. */
  groupHeaders: readonly string[];
  /** Prefixes of headers carrying the user's extra attributes ("X-Remote-Extra-scopes: a"). */
  extraHeaderPrefixes: readonly string[];
}

/** Who the front proxy says the caller is. */
export interface ClusterUser {
  username: string;
  uid: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** What the TLS layer knows of the client's certificate. */
export interface PeerCertificate {
  /** Whether it verifies against the request-header CA (the server's `ca`). */
  authorized: boolean;
  commonName: string | null;
}

export type FrontProxyResult =
  /** No verified front-proxy certificate, or no user header: authenticate the request otherwise. */
  | { kind: "none" }
  /** A certificate of the CA whose name is not allowed: refuse, as kube-apiserver does (401). */
  | { kind: "rejected"; reason: string }
  | { kind: "user"; user: ClusterUser };

export const DEFAULT_REQUEST_HEADERS = {
  usernameHeaders: ["X-Remote-User"],
  uidHeaders: ["X-Remote-Uid"],
  groupHeaders: ["X-Remote-Group"],
  extraHeaderPrefixes: ["X-Remote-Extra-"],
} as const;

/** The peer certificate of a request's TLS connection (none on plain HTTP). */
export function peerCertificate(req: IncomingMessage): PeerCertificate | null {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== "function") return null;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return null;
  const cn = cert.subject?.CN;
  return {
    authorized: socket.authorized === true,
    commonName: Array.isArray(cn) ? (cn[0] ?? null) : (cn ?? null),
  };
}

function lower(names: readonly string[]): string[] {
  return names.map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0);
}

/** The key of an extra header: lower-cased and %-decoded (kept as is when the escape is malformed). */
function extraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.toLowerCase());
  } catch {
    return encoded.toLowerCase();
  }
}

/**
 * The user the front proxy names, from the peer certificate and the request's headers (Node's
 * `headersDistinct`: lower-cased names, every value of a repeated header).
 */
export function frontProxyUser(
  peer: PeerCertificate | null,
  headers: Record<string, string[] | undefined>,
  config: RequestHeaderConfig,
): FrontProxyResult {
  if (!peer?.authorized) return { kind: "none" };
  if (config.allowedNames.length > 0 && !config.allowedNames.includes(peer.commonName ?? "")) {
    return {
      kind: "rejected",
      reason: `x509: subject with cn=${peer.commonName ?? ""} is not in the allowed list`,
    };
  }
  const first = (names: readonly string[]): string => {
    for (const name of lower(names)) {
      const value = headers[name]?.find((v) => v.length > 0);
      if (value) return value;
    }
    return "";
  };
  const username = first(config.usernameHeaders);
  if (!username) return { kind: "none" };
  const groups = lower(config.groupHeaders).flatMap((name) =>
    (headers[name] ?? []).filter((v) => v.length > 0),
  );
  const extra: Record<string, string[]> = {};
  for (const prefix of lower(config.extraHeaderPrefixes)) {
    for (const [name, values] of Object.entries(headers)) {
      if (!values || name.length <= prefix.length || !name.startsWith(prefix)) continue;
      const key = extraKey(name.slice(prefix.length));
      extra[key] = [...(extra[key] ?? []), ...values];
    }
  }
  return { kind: "user", user: { username, uid: first(config.uidHeaders), groups, extra } };
}

/** A comma-separated list from an environment variable (empty or unset: `fallback`). */
function envList(value: string | undefined, fallback: readonly string[]): string[] {
  const list = (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return list.length > 0 ? list : [...fallback];
}

type Env = Record<string, string | undefined>;

/**
 * SITEPOD_APISERVER_REQUESTHEADER_CA_FILE (PEM file; unset: no front-proxy authentication),
 * SITEPOD_APISERVER_REQUESTHEADER_ALLOWED_NAMES (comma-separated common names; empty: any),
 * SITEPOD_APISERVER_REQUESTHEADER_USERNAME_HEADERS, _UID_HEADERS, _GROUP_HEADERS and
 * _EXTRA_HEADERS_PREFIX (comma-separated; defaults X-Remote-User, X-Remote-Uid, X-Remote-Group,
 * X-Remote-Extra-). `readFile` reads the CA.
 */
export function requestHeaderConfigFromEnv(
  env: Env,
  readFile: (path: string) => string,
): RequestHeaderConfig | null {
  const caFile = env.SITEPOD_APISERVER_REQUESTHEADER_CA_FILE?.trim();
  if (!caFile) return null;
  const clientCA = readFile(caFile);
  if (!clientCA.includes("BEGIN CERTIFICATE")) {
    throw new Error(`SITEPOD_APISERVER_REQUESTHEADER_CA_FILE: ${caFile} holds no PEM certificate`);
  }
  return {
    clientCA,
    allowedNames: envList(env.SITEPOD_APISERVER_REQUESTHEADER_ALLOWED_NAMES, []),
    usernameHeaders: envList(
      env.SITEPOD_APISERVER_REQUESTHEADER_USERNAME_HEADERS,
      DEFAULT_REQUEST_HEADERS.usernameHeaders,
    ),
    uidHeaders: envList(env.SITEPOD_APISERVER_REQUESTHEADER_UID_HEADERS, DEFAULT_REQUEST_HEADERS.uidHeaders),
    groupHeaders: envList(
      env.SITEPOD_APISERVER_REQUESTHEADER_GROUP_HEADERS,
      DEFAULT_REQUEST_HEADERS.groupHeaders,
    ),
    extraHeaderPrefixes: envList(
      env.SITEPOD_APISERVER_REQUESTHEADER_EXTRA_HEADERS_PREFIX,
      DEFAULT_REQUEST_HEADERS.extraHeaderPrefixes,
    ),
  };
}

const jsonStringList = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "not JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.string()).nullable())
  .transform((list) => list ?? []);

const configMapSchema = z.object({
  "requestheader-client-ca-file": z.string().optional(),
  "requestheader-allowed-names": jsonStringList.optional(),
  "requestheader-username-headers": jsonStringList.optional(),
  "requestheader-uid-headers": jsonStringList.optional(),
  "requestheader-group-headers": jsonStringList.optional(),
  "requestheader-extra-headers-prefix": jsonStringList.optional(),
});

export const EXTENSION_APISERVER_AUTHENTICATION = {
  namespace: "kube-system",
  name: "extension-apiserver-authentication",
} as const;

/**
 * The front-proxy settings kube-apiserver publishes in kube-system/extension-apiserver-authentication
 * (its --requestheader-* flags; list values are JSON arrays), or null when it has no
 * request-header CA (the cluster has no front proxy).
 */
export function requestHeaderConfigFromConfigMap(
  data: Record<string, string> | undefined,
): RequestHeaderConfig | null {
  const parsed = configMapSchema.safeParse(data ?? {});
  if (!parsed.success) {
    throw new Error(
      `${EXTENSION_APISERVER_AUTHENTICATION.namespace}/${EXTENSION_APISERVER_AUTHENTICATION.name}: ${parsed.error.issues
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    );
  }
  const d = parsed.data;
  const clientCA = d["requestheader-client-ca-file"];
  if (!clientCA?.includes("BEGIN CERTIFICATE")) return null;
  const or = (list: string[] | undefined, fallback: readonly string[]) =>
    list && list.length > 0 ? list : [...fallback];
  return {
    clientCA,
    allowedNames: d["requestheader-allowed-names"] ?? [],
    usernameHeaders: or(d["requestheader-username-headers"], DEFAULT_REQUEST_HEADERS.usernameHeaders),
    uidHeaders: or(d["requestheader-uid-headers"], DEFAULT_REQUEST_HEADERS.uidHeaders),
    groupHeaders: or(d["requestheader-group-headers"], DEFAULT_REQUEST_HEADERS.groupHeaders),
    extraHeaderPrefixes: or(
      d["requestheader-extra-headers-prefix"],
      DEFAULT_REQUEST_HEADERS.extraHeaderPrefixes,
    ),
  };
}
