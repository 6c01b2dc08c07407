import type { z } from "zod";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";

/** Parses untrusted input with `schema`, or throws INVALID_INPUT with one message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", fieldErrorsFromZod(parsed.error));
  }
  return parsed.data;
}
