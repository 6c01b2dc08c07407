/**
 * Structured JSON logs on stdout/stderr: one object per line with level, time, msg and context.
 */
type Level = "debug" | "info" | "warn" | "error";
type Context = Record<string, unknown>;

function serializeError(err: unknown): unknown {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack };
  }
  return err;
}

function write(level: Level, msg: string, context: Context): void {
  const entry: Record<string, unknown> = { level, time: new Date().toISOString(), msg };
  for (const [key, value] of Object.entries(context)) {
    entry[key] = key === "err" || value instanceof Error ? serializeError(value) : value;
  }
  const line = `${JSON.stringify(entry, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}\n`;
  if (level === "error" || level === "warn") process.stderr.write(line);
  else process.stdout.write(line);
}

export interface Logger {
  debug(msg: string, context?: Context): void;
  info(msg: string, context?: Context): void;
  warn(msg: string, context?: Context): void;
  error(msg: string, context?: Context): void;
  child(context: Context): Logger;
}

const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = process.env.SITEPOD_LOG_LEVEL as Level | undefined;
  return LEVELS[configured ?? "info"] ?? LEVELS.info;
}

export function createLogger(base: Context = {}): Logger {
  const emit = (level: Level, msg: string, context: Context) => {
    if (LEVELS[level] >= threshold()) write(level, msg, { ...base, ...context });
  };
  return {
    debug: (msg, context = {}) => emit("debug", msg, context),
    info: (msg, context = {}) => emit("info", msg, context),
    warn: (msg, context = {}) => emit("warn", msg, context),
    error: (msg, context = {}) => emit("error", msg, context),
    child: (context) => createLogger({ ...base, ...context }),
  };
}

export const log = createLogger();
