/**
 * Server-side apply (PATCH with application/apply-patch+yaml, `kubectl apply --server-side`):
 * the applied configuration is merged into the object field by field, each field owned by the
 * managers that set it (metadata.managedFields). A field another manager set to another value is
 * a conflict: 409 naming every conflicting field and its manager, unless force=true, which takes
 * the fields over. Fields the manager applied before and no longer applies are removed when
 * nobody else owns them (labels and annotations go; a spec field keeps its value, unowned: the
 * services have no "unset", an omitted spec field keeps its value). Applying to an object that
 * does not exist creates it.
 */
import { ApplyConflicts, apply, type Conflict, fieldsOf } from "./managed-fields";
import { createObject, type RequestContext, updateWith } from "./objects";
import type { AnyResource } from "./resources/resource";
import { ApiError, errors, qualifiedResource } from "./status";
import { API_VERSION, type ApiObject, GROUP, kubeTime, type StatusCause } from "./types";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeManager(conflict: Conflict): string {
  return conflict.operation === "Update"
    ? `"${conflict.manager}" using ${API_VERSION} at ${conflict.time}`
    : `"${conflict.manager}"`;
}

/** kube-apiserver's message for apply conflicts (structured-merge-diff's, wrapped). */
export function conflictStatus(
  resource: AnyResource,
  name: string,
  conflicts: readonly Conflict[],
): ApiError {
  let message: string;
  if (conflicts.length === 1) {
    const [only] = conflicts as [Conflict];
    message = `conflict with ${describeManager(only)}: ${only.field}`;
  } else {
    const byManager = new Map<string, Conflict[]>();
    for (const c of conflicts)
      byManager.set(describeManager(c), [...(byManager.get(describeManager(c)) ?? []), c]);
    message = [...byManager]
      .flatMap(([manager, list]) => [`conflicts with ${manager}:`, ...list.map((c) => `- ${c.field}`)])
      .join("\n");
  }
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(c)}`,
    field: c.field,
  }));
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}: ${message}`,
    reason: "Conflict",
    details: { name, group: GROUP, kind: resource.plural, causes },
    code: 409,
  });
}

export async function applyObject(
  ctx: RequestContext,
  resource: AnyResource,
  namespace: string | null,
  name: string,
  body: unknown,
  force: boolean,
): Promise<{ object: ApiObject; created: boolean }> {
  if (!isObject(body)) throw errors.badRequest("the applied configuration must be an object (YAML or JSON)");
  const metadata = isObject(body.metadata) ? body.metadata : {};
  if (metadata.name !== undefined && metadata.name !== name) {
    throw errors.badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  if (metadata.managedFields !== undefined) throw errors.badRequest("metadata.managedFields must be nil");
  const manager = ctx.fieldManager as string;
  const now = kubeTime(new Date());
  const applied: Record<string, unknown> = { ...body, metadata: { ...metadata, name } };

  try {
    const object = await updateWith(ctx, resource, namespace, name, (current, owners) => {
      try {
        const live = JSON.parse(JSON.stringify(current)) as Record<string, unknown>;
        const result = apply(live, applied, owners, manager, force, now);
        const merged = result.object as Record<string, unknown> & { metadata: Record<string, unknown> };
        // The envelope is the applied one (a wrong kind is refused); a resourceVersion in it is a precondition.
        merged.apiVersion = applied.apiVersion;
        merged.kind = applied.kind;
        merged.metadata.resourceVersion =
          typeof metadata.resourceVersion === "string"
            ? metadata.resourceVersion
            : current.metadata.resourceVersion;
        return { object: merged, owners: result.owners };
      } catch (err) {
        if (err instanceof ApplyConflicts) throw conflictStatus(resource, name, err.conflicts);
        throw err;
      }
    });
    return { object, created: false };
  } catch (err) {
    const missing =
      err instanceof ApiError &&
      err.status.reason === "NotFound" &&
      err.status.message === `${qualifiedResource(resource.plural)} "${name}" not found`;
    if (!missing) throw err;
  }
  const spec = isObject(applied.spec) ? applied.spec : {};
  const create = {
    apiVersion: applied.apiVersion,
    kind: applied.kind,
    metadata: {
      name,
      ...(namespace === null ? {} : { namespace }),
      ...(isObject(metadata.labels) ? { labels: metadata.labels } : {}),
      ...(isObject(metadata.annotations) ? { annotations: metadata.annotations } : {}),
    },
    spec,
  };
  const owners = [{ manager, operation: "Apply" as const, time: now, fields: fieldsOf(create) }];
  return { object: await createObject(ctx, resource, namespace, create, owners), created: true };
}
