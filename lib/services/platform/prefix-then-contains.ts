/**
 * The operator's search order for one kind: names that start with the query first (a range scan
 * of the column's index), then names that contain it elsewhere (a scan MariaDB cannot index, only
 * run when the prefix matches leave room), up to `limit`, and whether there are more.
 */
export async function prefixThenContains<T extends { id: string }>(options: {
  limit: number;
  /** Up to `take` rows whose name starts with the query, in display order. */
  prefix: (take: number) => Promise<T[]>;
  /** Up to `take` rows whose name contains the query, none of the `exclude` ids. */
  contains: (take: number, exclude: string[]) => Promise<T[]>;
}): Promise<{ items: T[]; more: boolean }> {
  const { limit } = options;
  // One more than shown tells whether there are more.
  const first = await options.prefix(limit + 1);
  if (first.length > limit) return { items: first.slice(0, limit), more: true };
  const rest = await options.contains(
    limit + 1 - first.length,
    first.map((row) => row.id),
  );
  const all = [...first, ...rest];
  return { items: all.slice(0, limit), more: all.length > limit };
}

/**
 * The query as a literal inside LIKE: Prisma's startsWith and contains pass `%` and `_` through as
 * wildcards, so "50%" would match "50 euros" and "a_c" every "a-c". MariaDB's escape character is
 * the backslash.
 */
export function likeLiteral(query: string): string {
  return query.replace(/[\\%_]/g, (c) => `\\${c}`);
}
