import type { Db } from "@/lib/authz/scope";
import { AppError } from "@/lib/errors";
import {
  NO_RUNTIME_MESSAGE,
  offeredRuntimes,
  versionNotOfferedMessage,
} from "@/lib/services/runtime/runtime-catalog";

/**
 * The PHP version a site gets, read against the catalog as it is now (a version disabled a moment
 * ago is refused): the one asked for if the catalog offers it, else a refusal naming the versions
 * offered; none asked for: `current` when given (a site keeps its version), else the newest
 * offered. `current` stays allowed even when disabled: disabling stops new choices, it does not
 * force a site off the version it runs.
 */
export async function chooseRuntime(
  tx: Db,
  requested: string | undefined,
  options: { current?: string } = {},
): Promise<string> {
  if (options.current !== undefined && (requested === undefined || requested === options.current)) {
    return options.current;
  }
  const offered = await offeredRuntimes(tx);
  const newest = offered[0];
  if (!newest) throw new AppError("INVALID_INPUT", NO_RUNTIME_MESSAGE, { phpVersion: NO_RUNTIME_MESSAGE });
  if (requested === undefined) return newest.phpVersion;
  if (!offered.some((entry) => entry.phpVersion === requested)) {
    const message = versionNotOfferedMessage(requested, offered);
    throw new AppError("INVALID_INPUT", message, { phpVersion: message });
  }
  return requested;
}
