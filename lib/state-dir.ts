import path from "node:path";

/**
 * Where a local Sitepod keeps what it generates for itself (development keys): SITEPOD_STATE_DIR,
 * default `.sitepod/` in the working directory (git-ignored). `npm run up` passes the same folder to
 * every process it starts. The local cluster's own state stays in the repository's `.sitepod/`.
 */
export function stateDir(env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.SITEPOD_STATE_DIR?.trim();
  // turbopackIgnore: a runtime folder, not a build input (it may be a symlink out of the project).
  return path.resolve(fromEnv || path.join(/* turbopackIgnore: true */ process.cwd(), ".sitepod"));
}
