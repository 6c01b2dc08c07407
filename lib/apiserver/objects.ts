/**
 * The Kubernetes-generic half of every verb, once for all kinds: names and namespaces, metadata
 * (labels and annotations stored as sent, resourceVersion from the change log, deletionTimestamp),
 * optimistic concurrency, patches, fieldValidation, dry runs, lists with selectors and
 * limit/continue. The kind-specific half (which service does what) is in resources/.
 *
 * Every write runs in one unit of work (lib/db/unit-of-work.ts): the services' writes, the
 * metadata row and the resourceVersion check commit together, and a dry run rolls them all back.
 */
import { getPrisma, prisma } from "@/lib/db";
import { log } from "@/lib/log";
import { getLatestResourceVersion } from "@/lib/services/change-log/get-latest-resource-version";
import { runUnitOfWork, unitOfWorkChanges } from "@/lib/db/unit-of-work";
import type { Account } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { findReachableAccount } from "@/lib/services/account/find-reachable-account";
import {
  EMPTY_OBJECT_META,
  readApiObjectMeta,
  type StoredObjectMeta,
} from "@/lib/services/api-object/api-object-meta";
import { setApiObjectMeta } from "@/lib/services/api-object/set-api-object-meta";
import {
  latestResourceVersions,
  type VersionedRef,
  versionKey,
} from "@/lib/services/change-log/latest-resource-versions";
import { metadataProblems, specIssues, unknownFields } from "./fields";
import { type Ownership, parseManagedFields, recordUpdate, toManagedFields } from "./managed-fields";
import { applyJsonPatch, applyMergePatch, PatchError, parseJsonPatch } from "./patch";
import type { AnyResource, ObjectRecord } from "./resources/resource";
import {
  type LabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  type FieldRequirement,
} from "./selectors";
import { ApiError, errors, kubeFieldPath, type ObjectRef, toApiError } from "./status";
import { API_VERSION, type ApiObject, type Json, type ListMeta, type ObjectMeta, kubeTime } from "./types";

export const DELETION_FINALIZER = "hosting.sitepod.io/cleanup";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Where lists start their watches: the change-feed position (lib/apiserver/watch). */
export interface VersionClock {
  /** Every change with an id at or below this has been seen by the watch cache. */
  position(): bigint;
  /** Resolves true once position() reaches `rv`, false after `timeoutMs`. */
  waitFor(rv: bigint, timeoutMs: number): Promise<boolean>;
}

/** How long a list waits for the watch cache to catch up with the change log. */
const LIST_FRESHNESS_WAIT_MS = 5_000;

/**
 * The resourceVersion of a list about to be read: a position of the watch cache at or after
 * every change committed now, so that a watch from it misses nothing the list does not show.
 * (What the list shows may be newer still: a watch then repeats those changes, harmlessly.)
 */
async function listVersionNow(clock: VersionClock): Promise<bigint> {
  const latest = await getLatestResourceVersion();
  if (!(await clock.waitFor(latest, LIST_FRESHNESS_WAIT_MS))) {
    log.warn("watch cache behind the change log", {
      event: "apiserver.cache_behind",
      latest,
      position: clock.position(),
    });
  }
  return clock.position();
}

export interface RequestContext {
  actor: Actor;
  clock: VersionClock;
  dryRun: boolean;
  fieldValidation: FieldValidation;
  fieldManager: string | null;
  /** The client's User-Agent: a write without fieldManager is recorded under its first part. */
  userAgent: string;
  /** Warning headers to send (299 - "..."). */
  warnings: string[];
}

function ref(resource: AnyResource, name?: string): ObjectRef {
  return { resource: resource.plural, kind: resource.kind, ...(name === undefined ? {} : { name }) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The namespace's account if the actor reaches it; null otherwise (and for cluster-scoped kinds). */
export async function resolveNamespace(actor: Actor, namespace: string | null): Promise<Account | null> {
  if (namespace === null) return null;
  return findReachableAccount({ actor, slug: namespace });
}

export function toApiObject(
  resource: AnyResource,
  record: ObjectRecord,
  meta: StoredObjectMeta,
  resourceVersion: bigint | null,
): ApiObject {
  const metadata: ObjectMeta = {
    name: record.name,
    ...(resource.namespaced && record.namespace !== null ? { namespace: record.namespace } : {}),
    uid: record.id,
    resourceVersion: resourceVersion === null ? "" : resourceVersion.toString(),
    ...(record.generation === null ? {} : { generation: record.generation }),
    creationTimestamp: kubeTime(record.createdAt),
    ...(record.deletingSince
      ? {
          deletionTimestamp: kubeTime(record.deletingSince),
          deletionGracePeriodSeconds: 0,
          finalizers: [DELETION_FINALIZER],
        }
      : {}),
    ...(Object.keys(meta.labels).length > 0 ? { labels: { ...meta.labels } } : {}),
    ...(Object.keys(meta.annotations).length > 0 ? { annotations: { ...meta.annotations } } : {}),
    ...(meta.managedFields.length > 0
      ? { managedFields: structuredClone(meta.managedFields) as unknown as ObjectMeta["managedFields"] }
      : {}),
  };
  return {
    apiVersion: API_VERSION,
    kind: resource.kind,
    metadata,
    spec: structuredClone(record.spec),
    status: structuredClone(record.status),
  };
}

/** Records as API objects: their stored metadata and resourceVersions read in two queries. */
export async function toApiObjects(
  resource: AnyResource,
  records: readonly ObjectRecord[],
): Promise<ApiObject[]> {
  if (records.length === 0) return [];
  const [metas, versions] = await Promise.all([
    readApiObjectMeta({ kind: resource.kind, objectIds: records.map((r) => r.id) }),
    latestResourceVersions({ refs: records.map((r) => r.version) }),
  ]);
  return records.map((record) =>
    toApiObject(
      resource,
      record,
      metas.get(record.id) ?? EMPTY_OBJECT_META,
      versions.get(versionKey(record.version)) ?? 1n,
    ),
  );
}

async function findOrThrow(
  ctx: RequestContext,
  resource: AnyResource,
  namespace: string | null,
  name: string,
): Promise<{ account: Account | null; record: ObjectRecord }> {
  const account = await resolveNamespace(ctx.actor, namespace);
  if (resource.namespaced && !account) throw errors.notFound(ref(resource, name));
  const record = await resource.find(ctx.actor, account, name);
  if (!record) throw errors.notFound(ref(resource, name));
  return { account, record };
}

export async function getObject(
  ctx: RequestContext,
  resource: AnyResource,
  namespace: string | null,
  name: string,
): Promise<ApiObject> {
  const { record } = await findOrThrow(ctx, resource, namespace, name);
  const [object] = await toApiObjects(resource, [record]);
  return object as ApiObject;
}

export interface ListQuery {
  namespace: string | null;
  labelSelector: string;
  fieldSelector: string;
  limit: number;
  continueToken: string | null;
  resourceVersion: string | null;
  resourceVersionMatch: string | null;
}

/**
 * A list at a given resourceVersion. Lists are read from the database, which keeps no history:
 * "NotOlderThan" (and the legacy form without a match) is served once the watch cache has reached
 * the version (504 Too large after a short wait); "Exact" only for the current version, else
 * 410 Expired, as kube-apiserver answers for versions its cache no longer holds.
 */
async function checkListVersion(clock: VersionClock, value: string, match: string | null): Promise<void> {
  if (!/^\d{1,19}$/.test(value)) throw errors.badRequest(`invalid resource version "${value.slice(0, 40)}"`);
  const requested = BigInt(value);
  if (requested > clock.position() && !(await clock.waitFor(requested, 3_000))) {
    throw errors.tooLargeResourceVersion(requested, clock.position());
  }
  if (match === "Exact" && requested !== clock.position()) {
    throw errors.expired(`too old resource version: ${requested} (${clock.position()})`);
  }
}

export interface Selection {
  labels: LabelSelector;
  fields: FieldRequirement[];
}

export function fieldSelectorsOf(resource: AnyResource): string[] {
  return resource.namespaced ? ["metadata.name", "metadata.namespace"] : ["metadata.name"];
}

export function parseSelection(
  resource: AnyResource,
  labelSelector: string,
  fieldSelector: string,
): Selection {
  try {
    return {
      labels: parseLabelSelector(labelSelector),
      fields: parseFieldSelector(fieldSelector, fieldSelectorsOf(resource)),
    };
  } catch (err) {
    if (err instanceof SelectorError) throw errors.badRequest(err.message);
    throw err;
  }
}

export function selects(selection: Selection, object: ApiObject): boolean {
  return (
    matchesLabels(selection.labels, object.metadata.labels) &&
    matchesFields(selection.fields, {
      "metadata.name": object.metadata.name,
      "metadata.namespace": object.metadata.namespace,
    })
  );
}

interface ContinueKey {
  rv: string;
  ns: string;
  name: string;
}

function encodeContinue(key: ContinueKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decodeContinue(token: string): ContinueKey {
  try {
    const key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (
      isObject(key) &&
      typeof key.rv === "string" &&
      typeof key.ns === "string" &&
      typeof key.name === "string"
    ) {
      return { rv: key.rv, ns: key.ns, name: key.name };
    }
  } catch {
    // falls through
  }
  throw errors.badRequest(
    "continue key is not valid: the token was not issued by this server; list again without it",
  );
}

/** A list page: the objects the actor reaches that match, in (namespace, name) order. */
export async function listObjects(
  ctx: RequestContext,
  resource: AnyResource,
  query: ListQuery,
): Promise<{ items: ApiObject[]; metadata: ListMeta }> {
  const selection = parseSelection(resource, query.labelSelector, query.fieldSelector);
  if (query.continueToken && query.resourceVersion && query.resourceVersion !== "0") {
    throw errors.badRequest("specifying resource version is not allowed when using continue");
  }
  const resumed = query.continueToken ? decodeContinue(query.continueToken) : null;
  if (!resumed && query.resourceVersion && query.resourceVersion !== "0") {
    await checkListVersion(ctx.clock, query.resourceVersion, query.resourceVersionMatch);
  }
  const listVersion = resumed ? resumed.rv : (await listVersionNow(ctx.clock)).toString();

  let accountId: string | null = null;
  if (query.namespace !== null) {
    const account = await resolveNamespace(ctx.actor, query.namespace);
    // An unknown or foreign namespace lists nothing, as an empty namespace does.
    if (!account) return { items: [], metadata: { resourceVersion: listVersion } };
    accountId = account.id;
  }

  const limit = query.limit > 0 ? query.limit : Number.POSITIVE_INFINITY;
  const batch = Number.isFinite(limit) ? Math.min(Math.max(limit + 1, 50), 500) : 500;
  let after = resumed ? { namespace: resumed.ns, name: resumed.name } : null;
  const items: ApiObject[] = [];
  let more = false;
  for (;;) {
    const records = await resource.list(ctx.actor, { accountId, after, limit: batch });
    const objects = await toApiObjects(resource, records);
    for (const object of objects) {
      if (!selects(selection, object)) continue;
      if (items.length >= limit) {
        more = true;
        break;
      }
      items.push(object);
    }
    if (more || records.length < batch) break;
    const last = records[records.length - 1] as ObjectRecord;
    after = { namespace: last.namespace ?? "", name: last.name };
  }
  const last = items[items.length - 1];
  return {
    items,
    metadata: {
      resourceVersion: listVersion,
      ...(more && last
        ? {
            continue: encodeContinue({
              rv: listVersion,
              ns: last.metadata.namespace ?? "",
              name: last.metadata.name,
            }),
          }
        : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Checks the envelope of an object a client sent: apiVersion, kind, name and namespace. */
function checkEnvelope(
  resource: AnyResource,
  body: unknown,
  expect: { name?: string; namespace: string | null },
): Record<string, unknown> {
  if (!isObject(body)) throw errors.badRequest("the request body must be a JSON object");
  if (typeof body.kind !== "string" || body.kind === "") {
    throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`);
  }
  if (body.apiVersion !== API_VERSION) {
    throw errors.badRequest(
      `the API version in the data (${String(body.apiVersion ?? "")}) does not match the expected API version (${API_VERSION})`,
    );
  }
  if (body.kind !== resource.kind) {
    throw errors.badRequest(
      `the kind in the data (${body.kind}) does not match the expected kind (${resource.kind})`,
    );
  }
  const metadata = body.metadata ?? {};
  if (!isObject(metadata)) throw errors.badRequest("metadata must be an object");
  if (expect.name !== undefined && metadata.name !== undefined && metadata.name !== expect.name) {
    throw errors.badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${expect.name})`,
    );
  }
  if (
    resource.namespaced &&
    expect.namespace !== null &&
    metadata.namespace !== undefined &&
    metadata.namespace !== "" &&
    metadata.namespace !== expect.namespace
  ) {
    throw errors.badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  return body;
}

function checkUnknownFields(ctx: RequestContext, resource: AnyResource, body: Record<string, unknown>): void {
  if (ctx.fieldValidation === "Ignore") return;
  const unknown = unknownFields(body, resource.specSchema);
  if (unknown.length === 0) return;
  if (ctx.fieldValidation === "Strict") {
    throw errors.badRequest(
      `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(", ")}`,
    );
  }
  for (const field of unknown) ctx.warnings.push(`unknown field "${field}"`);
}

function stringMap(value: unknown): Record<string, string> {
  return isObject(value)
    ? (Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === "string")) as Record<
        string,
        string
      >)
    : {};
}

/** Validates metadata and spec; returns the parsed spec and the metadata to store. */
function decodeObject(
  resource: AnyResource,
  body: Record<string, unknown>,
  name: string,
  currentMeta: StoredObjectMeta,
): { spec: Record<string, unknown>; meta: StoredObjectMeta } {
  const metadata = (body.metadata ?? {}) as Record<string, unknown>;
  const causes = metadataProblems(metadata);
  const specInput = body.spec ?? {};
  if (!isObject(specInput)) {
    causes.push({ reason: "FieldValueInvalid", field: "spec", message: "Invalid value: must be an object" });
  }
  const parsed = resource.specSchema.safeParse(isObject(specInput) ? specInput : {});
  if (!parsed.success) {
    causes.push(...specIssues(parsed.error, (path) => kubeFieldPath(["spec", ...path])));
  }
  if (causes.length > 0) throw errors.invalid(ref(resource, name), causes);
  return {
    spec: parsed.data as Record<string, unknown>,
    meta: {
      labels: stringMap(metadata.labels),
      annotations: stringMap(metadata.annotations),
      managedFields: currentMeta.managedFields,
    },
  };
}

async function lockRow(table: AnyResource["lockTable"], id: string): Promise<void> {
  // The table name comes from a fixed union, never from a request.
  await prisma.$queryRawUnsafe(`SELECT id FROM \`${table}\` WHERE id = ? FOR UPDATE`, id);
}

async function currentVersion(version: VersionedRef): Promise<bigint> {
  return (await latestResourceVersions({ refs: [version] })).get(versionKey(version)) ?? 1n;
}

/** Re-reads an object inside the unit of work, after the writes, as the response shows it. */
async function readBack(resource: AnyResource, id: string): Promise<ApiObject | null> {
  const [record] = await resource.loadByIds([id]);
  if (!record) return null;
  const meta =
    (await readApiObjectMeta({ kind: resource.kind, objectIds: [id] })).get(id) ?? EMPTY_OBJECT_META;
  const recorded = unitOfWorkChanges().filter(
    (c) => c.kind === record.version.kind && c.objectId === record.version.objectId && c.id > 0n,
  );
  const version =
    recorded.length > 0 ? (recorded[recorded.length - 1]?.id ?? null) : await currentVersion(record.version);
  return toApiObject(resource, record, meta, version);
}

function withOnce(object: ApiObject, once: Record<string, unknown> | undefined): ApiObject {
  return once ? { ...object, status: { ...object.status, ...once } } : object;
}

async function inUnit<T>(
  ctx: RequestContext,
  resource: AnyResource,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    const { result } = await runUnitOfWork(getPrisma(), { dryRun: ctx.dryRun }, work);
    return result;
  } catch (err) {
    throw toApiError(err, ref(resource, name), resource.fieldPath);
  }
}

export async function createObject(
  ctx: RequestContext,
  resource: AnyResource,
  namespace: string | null,
  body: unknown,
  /** Server-side apply's ownership of the new object; otherwise an Update by the writer. */
  owners?: Ownership[],
): Promise<ApiObject> {
  const object = checkEnvelope(resource, body, { namespace });
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const name = typeof metadata.name === "string" ? metadata.name : "";
  if (name === "") {
    const message =
      metadata.generateName !== undefined
        ? "Required value: generateName is not supported by hosting.sitepod.io; give the object a name"
        : "Required value: name or generateName is required";
    throw errors.invalid(ref(resource, ""), [
      { reason: "FieldValueRequired", field: "metadata.name", message },
    ]);
  }
  const nameProblem = resource.nameProblem(name);
  if (nameProblem) {
    throw errors.invalid(ref(resource, name), [
      {
        reason: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: "${name}": ${nameProblem}`,
      },
    ]);
  }
  checkUnknownFields(ctx, resource, object);
  const { spec, meta } = decodeObject(resource, object, name, EMPTY_OBJECT_META);
  meta.managedFields = managedFieldsJson(
    owners ?? recordUpdate([], managerName(ctx), {}, object, kubeTime(new Date())),
  );
  const account = await resolveNamespace(ctx.actor, namespace);
  if (resource.namespaced && !account) throw errors.namespaceNotFound(namespace ?? "");

  return inUnit(ctx, resource, name, async () => {
    if (await resource.find(ctx.actor, account, name)) throw errors.alreadyExists(ref(resource, name));
    const created = await resource.create(ctx.actor, account, name, spec);
    for (const warning of created.warnings ?? []) ctx.warnings.push(warning);
    if (
      Object.keys(meta.labels).length > 0 ||
      Object.keys(meta.annotations).length > 0 ||
      meta.managedFields.length > 0
    ) {
      await setApiObjectMeta({
        actor: ctx.actor,
        kind: resource.kind,
        objectId: created.id,
        meta,
        recordChange: false,
      });
    }
    const out = await readBack(resource, created.id);
    if (!out) throw errors.internal("the object was created but cannot be read back");
    return withOnce(out, created.once);
  });
}

/** What a write wants the object to become, and (server-side apply) who owns which field then. */
export interface UpdatePlan {
  object: unknown;
  owners?: Ownership[];
}

/**
 * The update half of PUT, PATCH and server-side apply: `desired(current, owners)` gives the object
 * the client wants, from the object as it is now under the row lock. A resourceVersion in it must
 * be the current one.
 */
export async function updateWith(
  ctx: RequestContext,
  resource: AnyResource,
  namespace: string | null,
  name: string,
  desired: (current: ApiObject, owners: Ownership[]) => UpdatePlan,
): Promise<ApiObject> {
  const account = await resolveNamespace(ctx.actor, namespace);
  if (resource.namespaced && !account) throw errors.notFound(ref(resource, name));
  return inUnit(ctx, resource, name, async () => {
    const found = await resource.find(ctx.actor, account, name);
    if (!found) throw errors.notFound(ref(resource, name));
    await lockRow(resource.lockTable, resource.lockId(found));
    // Read again under the lock: what the update compares against and the version it checks.
    const record = (await resource.find(ctx.actor, account, name)) ?? found;
    const meta =
      (await readApiObjectMeta({ kind: resource.kind, objectIds: [record.id] })).get(record.id) ??
      EMPTY_OBJECT_META;
    const current = toApiObject(resource, record, meta, await currentVersion(record.version));

    const currentOwners = parseManagedFields(meta.managedFields);
    const plan = desired(current, currentOwners);
    const object = checkEnvelope(resource, plan.object, { name, namespace });
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    const sentVersion = metadata.resourceVersion;
    if (sentVersion !== undefined && sentVersion !== "" && sentVersion !== current.metadata.resourceVersion) {
      throw errors.staleResourceVersion(ref(resource, name));
    }
    if (metadata.uid !== undefined && metadata.uid !== "" && metadata.uid !== current.metadata.uid) {
      throw errors.conflict(
        ref(resource, name),
        `Precondition failed: UID in precondition: ${String(metadata.uid)}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    checkUnknownFields(ctx, resource, object);
    const { spec, meta: nextMeta } = decodeObject(resource, object, name, meta);
    nextMeta.managedFields = managedFieldsJson(
      plan.owners ??
        sentManagedFields(metadata.managedFields, current) ??
        recordUpdate(
          currentOwners,
          managerName(ctx),
          current as unknown as Record<string, unknown>,
          object,
          kubeTime(new Date()),
        ),
    );
    if (record.deletingSince) {
      // Labels and annotations may still change (a client removing its own marks); the spec not.
      if (JSON.stringify(object.spec ?? {}) !== JSON.stringify(current.spec)) {
        throw errors.conflict(
          ref(resource, name),
          "the object is being deleted; its spec can no longer change",
        );
      }
    } else {
      await resource.update(ctx.actor, record, spec);
    }
    const recorded = unitOfWorkChanges().some(
      (c) => c.kind === record.version.kind && c.objectId === record.version.objectId,
    );
    await setApiObjectMeta({
      actor: ctx.actor,
      kind: resource.kind,
      objectId: record.id,
      meta: nextMeta,
      recordChange: !recorded,
    });
    const out = await readBack(resource, record.id);
    if (!out) throw errors.notFound(ref(resource, name));
    return out;
  });
}

export function replaceObject(
  ctx: RequestContext,
  resource: AnyResource,
  namespace: string | null,
  name: string,
  body: unknown,
): Promise<ApiObject> {
  return updateWith(ctx, resource, namespace, name, () => ({ object: body }));
}

export const PATCH_TYPES = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

/** Media types a PATCH may have, as kube-apiserver lists them for custom resources. */
export const ACCEPTED_PATCH_TYPES = [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply];

export function patchObject(
  ctx: RequestContext,
  resource: AnyResource,
  namespace: string | null,
  name: string,
  patchType: "json" | "merge",
  patch: unknown,
): Promise<ApiObject> {
  const operations = patchType === "json" ? parseJsonPatchOrThrow(patch) : null;
  if (patchType === "merge" && !isObject(patch))
    throw errors.badRequest("a merge patch must be a JSON object");
  return updateWith(ctx, resource, namespace, name, (current) => {
    // The object as a client sees it; status and server-set metadata may be patched, and are ignored.
    const document = JSON.parse(JSON.stringify(current)) as Json;
    try {
      return {
        object: operations ? applyJsonPatch(document, operations) : applyMergePatch(document, patch as Json),
      };
    } catch (err) {
      if (err instanceof PatchError) {
        throw new ApiError({
          ...errors.invalid(ref(resource, name), [{ reason: "FieldValueInvalid", message: err.message }])
            .status,
        });
      }
      throw err;
    }
  });
}

/** The field manager of a write: fieldManager, else the first part of the User-Agent. */
export function managerName(ctx: RequestContext): string {
  if (ctx.fieldManager) return ctx.fieldManager;
  const agent = ctx.userAgent.split("/")[0]?.trim() ?? "";
  return agent === "" ? "unknown" : agent.slice(0, 128);
}

function managedFieldsJson(owners: readonly Ownership[]): Record<string, unknown>[] {
  return toManagedFields(owners, API_VERSION) as unknown as Record<string, unknown>[];
}

/**
 * managedFields a client set itself (kubectl does, to move client-side apply's fields to
 * server-side apply): taken as sent when they differ from the object's; `[{}]` clears them.
 */
function sentManagedFields(sent: unknown, current: ApiObject): Ownership[] | undefined {
  if (sent === undefined || JSON.stringify(sent) === JSON.stringify(current.metadata.managedFields ?? [])) {
    return undefined;
  }
  if (!Array.isArray(sent)) throw errors.badRequest("metadata.managedFields must be a list");
  return parseManagedFields(sent.filter((e): e is Record<string, unknown> => isObject(e)));
}

function parseJsonPatchOrThrow(patch: unknown) {
  try {
    return parseJsonPatch(patch);
  } catch (err) {
    if (err instanceof PatchError) throw errors.badRequest(err.message);
    throw err;
  }
}

export interface DeleteOptions {
  preconditions?: { resourceVersion?: string; uid?: string };
}

/**
 * Requests the deletion. Sitepod deletes asynchronously (the reconciler removes the Kubernetes
 * objects, then the rows), so the object usually comes back with deletionTimestamp set, as one
 * held by a finalizer does; a kind deleted at once answers a Success Status.
 */
export async function deleteObject(
  ctx: RequestContext,
  resource: AnyResource,
  namespace: string | null,
  name: string,
  options: DeleteOptions,
): Promise<{ object: ApiObject } | { gone: ObjectRecord }> {
  const account = await resolveNamespace(ctx.actor, namespace);
  if (resource.namespaced && !account) throw errors.notFound(ref(resource, name));
  return inUnit(ctx, resource, name, async () => {
    const found = await resource.find(ctx.actor, account, name);
    if (!found) throw errors.notFound(ref(resource, name));
    await lockRow(resource.lockTable, resource.lockId(found));
    const version = (await currentVersion(found.version)).toString();
    const pre = options.preconditions ?? {};
    if (pre.resourceVersion && pre.resourceVersion !== version) {
      throw errors.conflict(
        ref(resource, name),
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${version}`,
      );
    }
    if (pre.uid && pre.uid !== found.id) {
      throw errors.conflict(
        ref(resource, name),
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${found.id}`,
      );
    }
    const { gone } = await resource.remove(ctx.actor, found);
    if (gone) return { gone: found };
    const object = await readBack(resource, found.id);
    return object ? { object } : { gone: found };
  });
}
