/** metav1.Table output (kubectl get's columns) and PartialObjectMetadata. */
import type { AnyResource, ObjectRecord } from "./resources/resource";
import type { ApiObject, ListMeta, Table, TableRow } from "./types";

export type IncludeObject = "None" | "Metadata" | "Object";

export function parseIncludeObject(value: string | null): IncludeObject | null {
  if (value === null || value === "" || value === "Metadata") return "Metadata";
  if (value === "None" || value === "Object") return value;
  return null;
}

export function partialObjectMetadata(object: ApiObject) {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
}

export function partialObjectMetadataList(items: readonly ApiObject[], metadata: ListMeta) {
  return {
    kind: "PartialObjectMetadataList",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    items: items.map(partialObjectMetadata),
  };
}

/** The record behind a cell: columns read spec and status from the API object itself. */
function recordOf(object: ApiObject): ObjectRecord {
  return {
    id: object.metadata.uid,
    accountId: "",
    namespace: object.metadata.namespace ?? null,
    name: object.metadata.name,
    version: { kind: object.kind, objectId: object.metadata.uid },
    generation: object.metadata.generation ?? null,
    createdAt: new Date(object.metadata.creationTimestamp),
    deletingSince: object.metadata.deletionTimestamp ? new Date(object.metadata.deletionTimestamp) : null,
    spec: object.spec ?? {},
    status: object.status ?? {},
    group: null,
  };
}

export function tableRow(resource: AnyResource, object: ApiObject, include: IncludeObject): TableRow {
  const record = recordOf(object);
  const cells = resource.columns.map((column) => {
    const value = column.cell(record);
    return value === undefined ? null : value;
  }) as TableRow["cells"];
  return {
    cells,
    ...(include === "None"
      ? {}
      : {
          object: (include === "Object"
            ? object
            : partialObjectMetadata(object)) as unknown as TableRow["object"],
        }),
  };
}

export function toTable(
  resource: AnyResource,
  objects: readonly ApiObject[],
  metadata: ListMeta,
  include: IncludeObject,
  headers = true,
): Table {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    ...(headers
      ? { columnDefinitions: resource.columns.map(({ cell: _cell, ...definition }) => definition) }
      : {}),
    rows: objects.map((object) => tableRow(resource, object, include)),
  };
}
