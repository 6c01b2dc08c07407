/**
 * Reads of the runtime catalog (PHP version -> image) that need no caller: what the create-site
 * form offers, what createSite accepts, and what the reconciler renders. No runtime imports (the
 * create-site form shares its messages).
 */
import type { Db } from "@/lib/authz/scope";

export interface CatalogEntry {
  phpVersion: string;
  image: string;
  label: string | null;
  enabled: boolean;
}

/** "8.10" after "8.9": versions compare as numbers, major then minor. */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Newest version first. */
export function newestFirst<T extends { phpVersion: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => compareVersions(b.phpVersion, a.phpVersion));
}

/** Every entry, enabled or not, newest first. */
export async function loadRuntimeCatalog(db: Db): Promise<CatalogEntry[]> {
  const rows = await db.runtimeImage.findMany({
    select: { phpVersion: true, image: true, label: true, enabled: true },
  });
  return newestFirst(rows);
}

/** The versions new sites may use, newest first (the form's default is the first). */
export async function offeredRuntimes(db: Db): Promise<CatalogEntry[]> {
  return (await loadRuntimeCatalog(db)).filter((entry) => entry.enabled);
}

/** "8.4, 8.2", or "none". */
export function formatOffered(entries: readonly { phpVersion: string }[]): string {
  return entries.length > 0 ? entries.map((e) => e.phpVersion).join(", ") : "none";
}

export const NO_RUNTIME_MESSAGE =
  "The hosting provider has not registered any PHP runtime yet, so no site can be created. Ask them to add one.";

/** The field message for a version the catalog does not offer. */
export function versionNotOfferedMessage(
  version: string,
  offered: readonly { phpVersion: string }[],
): string {
  return `PHP ${version} is not offered here. Choose one of: ${formatOffered(offered)}.`;
}
