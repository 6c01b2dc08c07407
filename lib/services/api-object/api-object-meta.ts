/**
 * The labels, annotations and managed fields the Kubernetes-style API keeps for an object
 * (ApiObjectMeta rows), read in bulk. Not scoped: callers pass ids they have already authorized.
 */
import { z } from "zod";
import type { Db } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";

/** The kinds of hosting.sitepod.io, as ApiObjectMeta.kind. */
export const API_OBJECT_KINDS = ["Site", "Domain", "CronJob", "Database", "DatabaseUser", "Account"] as const;
export type ApiObjectKind = (typeof API_OBJECT_KINDS)[number];

const stringMapSchema = z.record(z.string(), z.string());
const managedFieldsSchema = z.array(z.record(z.string(), z.unknown()));

export interface StoredObjectMeta {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** metav1.ManagedFieldsEntry[] as server-side apply wrote them. */
  managedFields: Record<string, unknown>[];
}

export const EMPTY_OBJECT_META: StoredObjectMeta = { labels: {}, annotations: {}, managedFields: [] };

function parseStored(row: {
  kind: string;
  objectId: string;
  labels: unknown;
  annotations: unknown;
  managedFields: unknown;
}): StoredObjectMeta {
  const labels = stringMapSchema.safeParse(row.labels ?? {});
  const annotations = stringMapSchema.safeParse(row.annotations ?? {});
  const managedFields = managedFieldsSchema.safeParse(row.managedFields ?? []);
  if (!labels.success || !annotations.success || !managedFields.success) {
    log.warn("malformed api object metadata", { kind: row.kind, objectId: row.objectId });
  }
  return {
    labels: labels.success ? labels.data : {},
    annotations: annotations.success ? annotations.data : {},
    managedFields: managedFields.success ? managedFields.data : [],
  };
}

/** The stored metadata of each object that has any, by id. */
export async function readApiObjectMeta(options: {
  kind: ApiObjectKind;
  objectIds: readonly string[];
  db?: Db;
}): Promise<Map<string, StoredObjectMeta>> {
  const db = options.db ?? prisma;
  const out = new Map<string, StoredObjectMeta>();
  const ids = [...new Set(options.objectIds)];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.apiObjectMeta.findMany({
      where: { kind: options.kind, objectId: { in: ids.slice(i, i + 1000) } },
    });
    for (const row of rows) out.set(row.objectId, parseStored(row));
  }
  return out;
}

export function sameObjectMeta(a: StoredObjectMeta, b: StoredObjectMeta): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

function canonical(meta: StoredObjectMeta) {
  return {
    labels: sortedRecord(meta.labels),
    annotations: sortedRecord(meta.annotations),
    managedFields: meta.managedFields,
  };
}

export function toStoredJson(meta: StoredObjectMeta): {
  labels: Prisma.InputJsonValue;
  annotations: Prisma.InputJsonValue;
  managedFields: Prisma.InputJsonValue;
} {
  return {
    labels: meta.labels,
    annotations: meta.annotations,
    managedFields: meta.managedFields as Prisma.InputJsonValue,
  };
}
