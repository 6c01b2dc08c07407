/**
 * Which database objects a change-log row concerns, for the reconciler's work queue: a database's
 * own changes and its grants' wake the database (whose pass applies the grants), a user's wakes the
 * user, a server's wakes the server's check and everything on it.
 */
export interface DatabaseWork {
  databaseId?: string;
  databaseUserId?: string;
  serverId?: string;
}

export function databaseWorkOf(row: { kind: string; objectId: string; data: unknown }): DatabaseWork {
  switch (row.kind) {
    case "Database":
      return { databaseId: row.objectId };
    case "DatabaseUser":
      return { databaseUserId: row.objectId };
    case "DatabaseServer":
      return { serverId: row.objectId };
    case "DatabaseGrant": {
      const data = row.data as { databaseId?: unknown } | null;
      return data && typeof data === "object" && typeof data.databaseId === "string"
        ? { databaseId: data.databaseId }
        : {};
    }
    default:
      return {};
  }
}
