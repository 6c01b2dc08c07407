import type { ChangeAction } from "@/lib/generated/prisma/client";

const VERBS: Record<ChangeAction, string> = {
  CREATED: "Created",
  UPDATED: "Updated",
  STATUS: "Status of",
  DELETED: "Deleted",
};

/**
 * The audit-log line for a change written without a summary (site changes, rows from before
 * summaries existed): "Created site blog", "Requested the deletion of site blog".
 */
export function describeChange(change: { kind: string; action: ChangeAction; data: unknown }): string {
  const data =
    typeof change.data === "object" && change.data !== null ? (change.data as Record<string, unknown>) : {};
  const object = `${change.kind.toLowerCase()}${typeof data.name === "string" ? ` ${data.name}` : ""}`;
  if (data.deletionRequested === true) return `Requested the deletion of ${object}`;
  return `${VERBS[change.action]} ${object}`;
}
