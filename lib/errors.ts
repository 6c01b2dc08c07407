/**
 * The one error type of Sitepod's server layer. Services throw it; one place (route wrappers and
 * server actions) maps it to an HTTP status and to form messages. Anything else is a bug: it is
 * logged with context and shown as a generic message.
 */
import { ZodError } from "zod";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { log } from "@/lib/log";

export const APP_ERROR_CODES = [
  "UNAUTHENTICATED",
  "NOT_FOUND",
  "FORBIDDEN",
  "INVALID_INPUT",
  "CONFLICT",
  "LIMIT_EXCEEDED",
  /** Something Sitepod depends on (its database, its mail server) is not set up or does not answer. */
  "UNAVAILABLE",
  /** An API token that is not one, or whose owner lost access to its account (lib/auth/bearer.ts). */
  "TOKEN_INVALID",
  /** An API token someone revoked. */
  "TOKEN_REVOKED",
  /** An API token past its expiry. */
  "TOKEN_EXPIRED",
  "INTERNAL",
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

const HTTP_STATUS: Record<AppErrorCode, number> = {
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 429,
  UNAVAILABLE: 503,
  TOKEN_INVALID: 401,
  TOKEN_REVOKED: 401,
  TOKEN_EXPIRED: 401,
  INTERNAL: 500,
};

export function httpStatusFor(code: AppErrorCode): number {
  return HTTP_STATUS[code];
}

/** What users see for an unexpected error: nothing about its internals. */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Please try again.";

export interface AppErrorOptions {
  cause?: unknown;
}

export class AppError extends Error {
  override name = "AppError";
  readonly code: AppErrorCode;
  readonly fieldErrors?: Record<string, string>;

  /** `fieldErrors`: per-field messages for forms, keyed by input field name ("name", "domain"...). */
  constructor(
    code: AppErrorCode,
    message: string,
    fieldErrors?: Record<string, string>,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (fieldErrors) this.fieldErrors = fieldErrors;
  }

  get httpStatus(): number {
    return httpStatusFor(this.code);
  }

  /** The shape sent to browsers and API clients. */
  toJSON(): { code: AppErrorCode; message: string; fieldErrors?: Record<string, string> } {
    return this.fieldErrors
      ? { code: this.code, message: this.message, fieldErrors: this.fieldErrors }
      : { code: this.code, message: this.message };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** First message per field; form-level issues (empty path) go under "_form". */
export function fieldErrorsFromZod(error: ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    fieldErrors[key] ??= issue.message;
  }
  return fieldErrors;
}

/**
 * Normalises anything thrown into an AppError: AppErrors pass through, zod errors become
 * INVALID_INPUT with field messages, a database that does not answer (lib/db/unavailable.ts) is
 * logged as a warning and becomes UNAVAILABLE (503: try again), the rest is logged (with `context`)
 * and becomes INTERNAL.
 */
export function toAppError(error: unknown, context: Record<string, unknown> = {}): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new AppError("INVALID_INPUT", "Some fields are not valid.", fieldErrorsFromZod(error), {
      cause: error,
    });
  }
  if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { ...context, event: "db.unavailable", err: error });
    return new AppError("UNAVAILABLE", DATABASE_UNAVAILABLE_MESSAGE, undefined, { cause: error });
  }
  log.error("unexpected error", { ...context, err: error });
  return new AppError("INTERNAL", INTERNAL_ERROR_MESSAGE, undefined, { cause: error });
}
