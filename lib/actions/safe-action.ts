import type { z } from "zod";
import { type Actor, requireActor } from "@/lib/auth/session";
import { type AppError, fieldErrorsFromZod, toAppError } from "@/lib/errors";
import { type Logger, log } from "@/lib/log";
import { withChangeAttribution } from "@/lib/services/change-log/attribution";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: AppError["code"]; message: string; fieldErrors?: Record<string, string> };

interface ActionDefinition<S extends z.ZodType, R> {
  /** Names the action in logs, e.g. "site.create". */
  name: string;
  /** The same schema the form and the REST route use. */
  schema: S;
  handler: (args: { actor: Actor; input: z.output<S>; log: Logger }) => Promise<R>;
  /** Only for setting up two-factor sign-in itself (see RequireActorOptions). */
  beforeTwoFactorSetup?: boolean;
}

/**
 * The one wrapper for server actions. Server actions are public HTTP endpoints whatever page renders
 * them, so this authenticates every call from the session, validates the input with the shared zod
 * schema, runs the service (in a support session, with its changes attributed to the operator:
 * lib/services/change-log/attribution.ts) and answers a serialisable result instead of throwing: the form shows
 * `fieldErrors` next to its fields and `message` in a toast. Errors that are not AppErrors are logged
 * with the action, actor and cause, and reach the browser only as a generic message.
 */
export function defineAction<S extends z.ZodType, R>(
  definition: ActionDefinition<S, R>,
): (input: unknown) => Promise<ActionResult<R>> {
  return async (input) => {
    const actionLog = log.child({ action: definition.name });
    let actor: Actor | undefined;
    try {
      actor = await requireActor({ beforeTwoFactorSetup: definition.beforeTwoFactorSetup ?? false });
      const parsed = definition.schema.safeParse(input);
      if (!parsed.success) {
        return {
          ok: false,
          code: "INVALID_INPUT",
          message: "Some fields need your attention.",
          fieldErrors: fieldErrorsFromZod(parsed.error),
        };
      }
      const current = actor;
      // In a support session, what the action changes is recorded as the operator's doing.
      const data = await withChangeAttribution(current, () =>
        definition.handler({
          actor: current,
          input: parsed.data,
          log: actionLog.child({
            userId: current.userId,
            ...(current.impersonation ? { operatorUserId: current.impersonation.operatorUserId } : {}),
          }),
        }),
      );
      return { ok: true, data };
    } catch (err) {
      // toAppError logs anything that is not an AppError, with this context.
      const appError = toAppError(err, { action: definition.name, userId: actor?.userId });
      return {
        ok: false,
        code: appError.code,
        message: appError.message,
        ...(appError.fieldErrors ? { fieldErrors: appError.fieldErrors } : {}),
      };
    }
  };
}

interface PublicActionDefinition<S extends z.ZodType, R> {
  name: string;
  schema: S;
  handler: (args: { input: z.output<S>; log: Logger }) => Promise<R>;
}

/**
 * For the few actions an anonymous visitor may call (registering through an invitation link): the
 * same validation and error handling as defineAction, without a session. The handler must check
 * whatever entitles the caller (e.g. a valid invitation token) itself.
 */
export function definePublicAction<S extends z.ZodType, R>(
  definition: PublicActionDefinition<S, R>,
): (input: unknown) => Promise<ActionResult<R>> {
  return async (input) => {
    const actionLog = log.child({ action: definition.name });
    try {
      const parsed = definition.schema.safeParse(input);
      if (!parsed.success) {
        return {
          ok: false,
          code: "INVALID_INPUT",
          message: "Some fields need your attention.",
          fieldErrors: fieldErrorsFromZod(parsed.error),
        };
      }
      return { ok: true, data: await definition.handler({ input: parsed.data, log: actionLog }) };
    } catch (err) {
      const appError = toAppError(err, { action: definition.name });
      return {
        ok: false,
        code: appError.code,
        message: appError.message,
        ...(appError.fieldErrors ? { fieldErrors: appError.fieldErrors } : {}),
      };
    }
  };
}
