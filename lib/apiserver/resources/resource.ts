/**
 * What the API server needs of each kind of hosting.sitepod.io: its names for discovery, its spec
 * and status schemas (zod, built from lib/validation: the OpenAPI document and the request
 * validation come from them), its table columns, and how to read it and write it through the
 * services. lib/apiserver/objects.ts does everything Kubernetes-generic (metadata, versions,
 * patches, dry runs, errors) once for all kinds.
 *
 * Namespaces are accounts: an object of a namespaced kind lives in the namespace named by its
 * account's slug (`kubectl -n acme get sites`). Accounts themselves are cluster-scoped, named by
 * slug.
 */
import type { z } from "zod";
import type { Account } from "@/lib/generated/prisma/client";
import type { ChangeAction } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/services/actor";
import type { ApiObjectKind } from "@/lib/services/api-object/api-object-meta";
import type { VersionedRef } from "@/lib/services/change-log/latest-resource-versions";
import type { FieldMapper } from "../status";
import type { TableColumnDefinition } from "../types";

/** One object as read from the database, before metadata and resourceVersion are added. */
export interface ObjectRecord {
  id: string;
  accountId: string;
  /** The account's slug for namespaced kinds; null for Accounts. */
  namespace: string | null;
  name: string;
  /** The change-log rows whose newest id is this object's resourceVersion. */
  version: VersionedRef;
  generation: number | null;
  createdAt: Date;
  /** Set while a deletion is in progress (the reconciler removes the object, then its rows). */
  deletingSince: Date | null;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
  /** Objects the watch cache reloads together when a change names the group (a site's domains). */
  group: string | null;
}

/** A change-log row as the watch cache reads it. */
export interface ChangeRow {
  id: bigint;
  kind: string;
  objectId: string;
  accountId: string | null;
  action: ChangeAction;
  data: unknown;
}

/** What a change-log row makes the watch cache reload of one kind. */
export interface WatchTargets {
  ids: string[];
  groups: string[];
}

export interface Column extends TableColumnDefinition {
  cell(record: ObjectRecord): unknown;
}

export interface ListOptions {
  /** Only this account's objects; null: every account the actor reaches. */
  accountId: string | null;
  /** Keyset: objects after this (namespace, name) in that order. */
  after: { namespace: string; name: string } | null;
  limit: number;
}

export interface CreateResult {
  id: string;
  /** Shown in the response to the create only (a generated password): never stored, never again. */
  once?: Record<string, unknown>;
  warnings?: string[];
}

export interface ResourceDefinition<Spec extends Record<string, unknown> = Record<string, unknown>> {
  kind: ApiObjectKind;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  description: string;
  /** Validates and normalises a spec sent by a client (create and update). */
  specSchema: z.ZodType<Spec, unknown>;
  /** Documentation only (OpenAPI): status is written by Sitepod. */
  statusSchema: z.ZodType;
  columns: Column[];
  /** Maps a service's field names to this kind's field paths in error causes. */
  fieldPath: FieldMapper;
  /** The row a write locks first, so that the resourceVersion check and the write agree. */
  lockTable: "Site" | "CronJob" | "Database" | "DatabaseUser" | "Account";
  lockId(record: ObjectRecord): string;
  /** Names must be what the services would store (e.g. lower-case); null when fine. */
  nameProblem(name: string): string | null;

  list(actor: Actor, options: ListOptions): Promise<ObjectRecord[]>;
  /** One object by name in the account (null for Accounts), or null: unknown and foreign alike. */
  find(actor: Actor, account: Account | null, name: string): Promise<ObjectRecord | null>;
  create(actor: Actor, account: Account | null, name: string, spec: Spec): Promise<CreateResult>;
  /** Changes what differs between the object and `spec` through the services. */
  update(actor: Actor, current: ObjectRecord, spec: Spec): Promise<void>;
  /** Requests the deletion; true when the object is gone at once (no deletion in progress). */
  remove(actor: Actor, current: ObjectRecord): Promise<{ gone: boolean }>;

  /** Watch cache: which objects a change-log row may have changed. */
  watchTargets(row: ChangeRow): WatchTargets;
  /** Watch cache, unscoped (it filters per watcher): objects by id, by group, and all of them. */
  loadByIds(ids: readonly string[]): Promise<ObjectRecord[]>;
  loadGroups(groups: readonly string[]): Promise<ObjectRecord[]>;
  loadAll(afterId: string | null, limit: number): Promise<ObjectRecord[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every spec type.
export type AnyResource = ResourceDefinition<any>;

export function ageColumn(): Column {
  return {
    name: "Age",
    type: "date",
    format: "",
    description:
      "CreationTimestamp is a timestamp representing the server time when this object was created.",
    priority: 0,
    cell: (record) => record.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

export function nameColumn(): Column {
  return {
    name: "Name",
    type: "string",
    format: "name",
    description: "Name must be unique within a namespace.",
    priority: 0,
    cell: (record) => record.name,
  };
}
