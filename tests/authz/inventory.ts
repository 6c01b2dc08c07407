/**
 * What the app really exposes, read from the source tree rather than from a hand-kept list: every
 * HTTP method exported by app/**\/route.ts, and every function exported by a module under
 * lib/actions/ that starts with "use server" (such modules can export nothing but actions;
 * helpers without the directive, the wrapper and tests are not endpoints).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type RouteHandler = (
  req: Request,
  ctx: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;
export type ServerAction = (input: unknown) => Promise<unknown>;

export interface RouteEntry {
  /** "DELETE /api/v1/sites/[siteId]" */
  key: string;
  method: string;
  /** "/api/v1/sites/[siteId]" */
  pattern: string;
  file: string;
  handler: RouteHandler;
}

export interface ActionEntry {
  /** The exported name, e.g. "deleteSiteAction". */
  key: string;
  file: string;
  action: ServerAction;
}

/** The file's first statement is the "use server" directive (comments may precede it). */
function isServerActionModule(file: string): boolean {
  return /^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(readFileSync(file, "utf8"));
}

function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, accept));
    else if (accept(entry.name)) out.push(full);
  }
  return out.sort();
}

function isFunction<T>(value: unknown): value is T {
  return typeof value === "function";
}

export async function listRoutes(): Promise<RouteEntry[]> {
  const appDir = path.join(ROOT, "app");
  const entries: RouteEntry[] = [];
  // All of app/, not only app/api/: a route handler anywhere is an endpoint.
  for (const file of filesUnder(appDir, (n) => /^route\.(ts|tsx|js)$/.test(n))) {
    const mod: Record<string, unknown> = await import(file);
    // Route groups "(name)" do not appear in the URL.
    const pattern = `/${path
      .relative(appDir, path.dirname(file))
      .split(path.sep)
      .filter((part) => !/^\(.*\)$/.test(part))
      .join("/")}`;
    for (const method of HTTP_METHODS) {
      const handler = mod[method];
      if (isFunction<RouteHandler>(handler)) {
        entries.push({ key: `${method} ${pattern}`, method, pattern, file, handler });
      }
    }
  }
  return entries;
}

export async function listActions(): Promise<ActionEntry[]> {
  const actionsDir = path.join(ROOT, "lib", "actions");
  const files = filesUnder(
    actionsDir,
    (n) => /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) && n !== "safe-action.ts",
  );
  const entries: ActionEntry[] = [];
  for (const file of files) {
    if (!isServerActionModule(file)) continue;
    const mod: Record<string, unknown> = await import(file);
    for (const [key, value] of Object.entries(mod)) {
      if (isFunction<ServerAction>(value)) {
        entries.push({ key, file: path.relative(ROOT, file), action: value });
      }
    }
  }
  return entries;
}

/** "/api/v1/sites/[siteId]" with { siteId: "abc" } -> "/api/v1/sites/abc". */
export function fillPattern(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for route param [${name}] of ${pattern}`);
    return encodeURIComponent(value);
  });
}

/**
 * Source files outside lib/actions/ that contain a "use server" directive (a module of actions or
 * an inline action in a component): endpoints this inventory would not see.
 */
export function serverActionsOutsideActionsDir(): string[] {
  const found: string[] = [];
  for (const dir of ["app", "components", "lib"]) {
    const root = path.join(ROOT, dir);
    for (const file of filesUnder(root, (n) => /\.(ts|tsx|js|jsx|mjs)$/.test(n))) {
      const relative = path.relative(ROOT, file);
      if (
        relative.startsWith(`lib${path.sep}actions${path.sep}`) ||
        relative.startsWith(`lib${path.sep}generated`)
      ) {
        continue;
      }
      if (/["']use server["']/.test(readFileSync(file, "utf8"))) found.push(relative);
    }
  }
  return found;
}
