/**
 * The mariadb driver under Prisma's adapter (3.4.5; 3.5.4 has the same code) throws from a socket
 * event handler when the server closes a connection that its pool is still opening: after the
 * handshake, while the connection runs its init commands, the pool has not yet attached its
 * error listener, and `Connection.fatalError` throws when nobody listens. Nothing can catch that
 * throw but the process, and Node ends the process. The pool keeps itself filled (ten
 * connections), so a MariaDB stop or restart may meet one being opened: against a private
 * server, 7 of 22 stops ended the process with `SqlError ... socket has unexpectedly been closed`
 * (errno 45009), most of them soon after a pool was created. The connection is simply lost; the pool opens another once the server answers
 * (the same client served again right after, without a restart).
 *
 * The long-running processes of our own (the reconciler, the API server) install this guard:
 * that one error is logged as a warning, anything else uncaught is logged and ends the process as
 * Node would (exit code 1). Next.js' server logs uncaught exceptions and goes on by itself.
 */
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import type { Logger } from "@/lib/log";

/** Whether an uncaught error is the driver's lost connection described above. */
export function isDriverConnectionLoss(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { name?: unknown; fatal?: unknown };
  return e.name === "SqlError" && e.fatal === true && isDatabaseUnavailable(err);
}

export interface UncaughtHandlerOptions {
  log: Logger;
  /** Ends the process (tests replace it). */
  exit?: (code: number) => void;
}

/** What the process does with an uncaught exception: go on after a lost connection, else exit 1. */
export function handleUncaught(err: unknown, origin: string, options: UncaughtHandlerOptions): void {
  if (isDriverConnectionLoss(err)) {
    options.log.warn("database connection lost while it was being opened; the pool opens another", {
      event: "db.unavailable",
      err,
    });
    return;
  }
  options.log.error("uncaught exception", { err, origin });
  (options.exit ?? ((code: number) => process.exit(code)))(1);
}

/** Installs the handler on the process; returns its removal. */
export function guardAgainstDriverConnectionLoss(log: Logger): () => void {
  const handler = (err: Error, origin: string) => handleUncaught(err, origin, { log });
  process.on("uncaughtException", handler);
  return () => {
    process.off("uncaughtException", handler);
  };
}
