/**
 * Tells a database that does not answer (down, restarting, unreachable, out of connections) from
 * every other failure, by the shapes the errors really take. Seen against a private MariaDB 10.11
 * stopped and killed under Prisma 7 with the MariaDB driver adapter
 * (lib/db/database-restart.int.test.ts):
 * - server down, a query waits for a pooled connection: PrismaClientKnownRequestError P2039 (P2010
 *   for raw queries) with `meta.driverAdapterError.cause` { kind: "mysql", code: 45028 } (the
 *   driver's "pool timeout", its cause ECONNREFUSED);
 * - server down, `$transaction(fn)`: P2028 "Unable to start a transaction in the given time" (also
 *   what a pool exhausted under load answers: the database does not answer in time either way);
 * - server stopped or killed under a query in flight: PrismaClientKnownRequestError whose `code` is
 *   the socket's, "EPIPE" or "ECONNRESET";
 * - the mariadb driver used directly (migrations, site databases): SqlError with `errno` 45xxx.
 * Pure and structural (no Prisma import), so it holds for the driver's own errors too.
 */

/** Socket-level codes: the connection could not be made or was cut. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/**
 * Prisma's own codes for a server it cannot reach or that dropped it: can't reach server, timed
 * out, server closed the connection, pool timeout (engines before driver adapters).
 */
const PRISMA_CODES: ReadonlySet<string> = new Set(["P1001", "P1002", "P1017", "P2024"]);

/**
 * Error numbers: the mariadb driver's connection failures (45001 connection already closed, 45009
 * socket closed unexpectedly, 45012 connect timeout, 45013 command on a closed connection, 45019
 * socket error, 45026 socket timeout, 45028 pool timeout, 45039 initial timeout, 45042 ping timeout,
 * 45061 no connection in pool) and the server's (1040 too many connections, 1053 shutdown in
 * progress, 1927 connection killed, 2002/2003 cannot connect, 2006 gone away, 2013 lost
 * connection).
 */
const ERRNOS: ReadonlySet<number> = new Set([
  45001, 45009, 45012, 45013, 45019, 45026, 45028, 45039, 45042, 45061, 1040, 1053, 1927, 2002, 2003, 2006,
  2013,
]);

/** How deep nested causes are followed (a cycle or a long chain stops there). */
const MAX_DEPTH = 6;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
}

function numeric(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The error Prisma wraps from the driver adapter: `meta.driverAdapterError.cause`. */
function driverAdapterCause(err: Record<string, unknown>): unknown {
  return record(record(record(err.meta)?.driverAdapterError)?.cause);
}

function matchesItself(err: Record<string, unknown>): boolean {
  const code = err.code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || PRISMA_CODES.has(code)) return true;
    if (code === "P2028" && typeof err.message === "string") {
      return err.message.includes("Unable to start a transaction in the given time");
    }
  }
  if (err.kind === "TooManyConnections") return true;
  for (const candidate of [err.errno, err.originalCode, err.kind === "mysql" ? code : undefined]) {
    const n = numeric(candidate);
    if (n !== undefined && ERRNOS.has(n)) return true;
  }
  return false;
}

/**
 * Whether `err` says the database is not answering: the request can be tried again in a moment,
 * and the caller should be told so rather than shown an internal error.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  const value = record(err);
  if (!value || depth > MAX_DEPTH) return false;
  if (matchesItself(value)) return true;
  return (
    isDatabaseUnavailable(driverAdapterCause(value), depth + 1) ||
    isDatabaseUnavailable(value.cause, depth + 1)
  );
}

/**
 * The digest Next.js keeps for an error that already has one: a page whose render met a database
 * that does not answer reaches the error boundary (app/error.tsx) with it, in production too,
 * where the error's message is withheld.
 */
export const DATABASE_UNAVAILABLE_DIGEST = "SITEPOD_DATABASE_UNAVAILABLE";

/** Gives a database-unavailable error the digest above (others are returned untouched). */
export function markDatabaseUnavailable<E>(err: E): E {
  if (typeof err === "object" && err !== null && !("digest" in err) && isDatabaseUnavailable(err)) {
    Object.defineProperty(err, "digest", { value: DATABASE_UNAVAILABLE_DIGEST, enumerable: false });
  }
  return err;
}

/** What users are told, in the API, forms and pages alike. */
export const DATABASE_UNAVAILABLE_MESSAGE =
  "Sitepod's database is not answering. Nothing was saved; try again in a moment.";
