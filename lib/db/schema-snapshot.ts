/**
 * Two views of the same database schema, normalised so that they can be compared with one
 * `toEqual`: what the Prisma data model says (expectedSchema) and what information_schema reports
 * after our hand-written migrations ran (actualSchema). The schema-drift test compares them.
 */
import type { Connection } from "mariadb";
import type { Dmmf, DmmfField, DmmfModel } from "./prisma-dmmf";

export interface ColumnShape {
  type: string;
  nullable: boolean;
  default: string | null;
  autoIncrement: boolean;
}

export interface IndexShape {
  unique: boolean;
  columns: string[];
}

export interface ForeignKeyShape {
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface TableShape {
  collation: string;
  columns: Record<string, ColumnShape>;
  indexes: Record<string, IndexShape>;
  foreignKeys: Record<string, ForeignKeyShape>;
}

export type SchemaShape = Record<string, TableShape>;

export const EXPECTED_COLLATION = "utf8mb4_unicode_ci";

const REFERENTIAL_ACTIONS: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

function tableName(model: DmmfModel): string {
  return model.dbName ?? model.name;
}

function columnName(field: DmmfField): string {
  return field.dbName ?? field.name;
}

function columnType(field: DmmfField, enums: Dmmf["datamodel"]["enums"]): string {
  const [nativeName, nativeArgs = []] = field.nativeType ?? [];
  if (field.kind === "enum") {
    const values = enums.find((e) => e.name === field.type)?.values ?? [];
    return `enum(${values.map((v) => `'${v.dbName ?? v.name}'`).join(",")})`;
  }
  switch (field.type) {
    case "String":
      if (nativeName === "Text") return "text";
      if (nativeName === "VarChar") return `varchar(${nativeArgs[0]})`;
      if (nativeName)
        return `${nativeName.toLowerCase()}${nativeArgs.length ? `(${nativeArgs.join(",")})` : ""}`;
      return "varchar(191)";
    case "Int":
      return "int";
    case "BigInt":
      return "bigint";
    case "Boolean":
      return "tinyint(1)";
    case "DateTime":
      return nativeName === "DateTime" ? `datetime(${nativeArgs[0] ?? "3"})` : "datetime(3)";
    case "Json":
      return "json";
    case "Float":
      return "double";
    case "Bytes":
      // Prisma's MySQL default for Bytes is LONGBLOB; @db.MediumBlob (16 MiB) and friends name theirs.
      return nativeName ? nativeName.toLowerCase() : "longblob";
    default:
      throw new Error(`schema snapshot: no MySQL type known for ${field.type} (${field.name})`);
  }
}

function columnDefault(field: DmmfField): string | null {
  const value = field.default;
  if (value === undefined || value === null) return null;
  if (typeof value === "object" && "name" in value) {
    // now() is a database default; cuid()/uuid()/autoincrement() are not.
    return (value as { name: string }).name === "now" ? "current_timestamp(3)" : null;
  }
  if (typeof value === "boolean") return value ? "1" : "0";
  return String(value);
}

/** The schema Prisma would create for this data model on MySQL, with Prisma's default names. */
export function expectedSchema(dmmf: Dmmf): SchemaShape {
  const { models, enums, indexes } = dmmf.datamodel;
  const shape: SchemaShape = {};
  for (const model of models) {
    const table: TableShape = { collation: EXPECTED_COLLATION, columns: {}, indexes: {}, foreignKeys: {} };
    const byName = new Map(model.fields.map((f) => [f.name, f]));
    const col = (name: string) => columnName(byName.get(name) ?? ({ name, dbName: null } as DmmfField));
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields && field.relationFromFields.length > 0) {
          const target = models.find((m) => m.name === field.type);
          if (!target) throw new Error(`schema snapshot: unknown relation target ${field.type}`);
          const targetFields = new Map(target.fields.map((f) => [f.name, f]));
          const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
          const onUpdate = field.relationOnUpdate ?? "Cascade";
          const from = field.relationFromFields.map(col);
          table.foreignKeys[`${tableName(model)}_${from.join("_")}_fkey`] = {
            columns: from,
            referencedTable: tableName(target),
            referencedColumns: (field.relationToFields ?? []).map((n) => {
              const f = targetFields.get(n);
              return f ? columnName(f) : n;
            }),
            onDelete: REFERENTIAL_ACTIONS[onDelete] ?? onDelete,
            onUpdate: REFERENTIAL_ACTIONS[onUpdate] ?? onUpdate,
          };
        }
        continue;
      }
      const isAutoIncrement =
        typeof field.default === "object" &&
        field.default !== null &&
        (field.default as { name?: string }).name === "autoincrement";
      table.columns[columnName(field)] = {
        type: columnType(field, enums),
        nullable: !field.isRequired,
        default: columnDefault(field),
        autoIncrement: isAutoIncrement,
      };
    }
    for (const index of indexes.filter((i) => i.model === model.name)) {
      const columns = index.fields.map((f) => col(f.name));
      const suffix = index.type === "unique" ? "key" : "idx";
      const name =
        index.type === "id"
          ? "PRIMARY"
          : (index.dbName ?? `${tableName(model)}_${columns.join("_")}_${suffix}`);
      table.indexes[name] = { unique: index.type === "id" || index.type === "unique", columns };
    }
    shape[tableName(model)] = table;
  }
  return shape;
}

type Row = Record<string, unknown>;

function text(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}

/** Normalises MySQL/MariaDB spellings: int(11) vs int, quoted string defaults, JSON as longtext. */
function normaliseColumn(row: Row, jsonChecked: boolean): ColumnShape {
  const dataType = text(row.DATA_TYPE).toLowerCase();
  // Enum values keep their case; only the type keywords are case-insensitive.
  let type =
    dataType === "enum" ? `enum${text(row.COLUMN_TYPE).slice(4)}` : text(row.COLUMN_TYPE).toLowerCase();
  if (["int", "bigint", "smallint", "mediumint"].includes(dataType)) type = dataType;
  // MariaDB stores JSON as LONGTEXT with a json_valid CHECK constraint.
  if (dataType === "longtext" && jsonChecked) type = "json";
  let defaultValue =
    row.COLUMN_DEFAULT === null || row.COLUMN_DEFAULT === undefined ? null : text(row.COLUMN_DEFAULT);
  // MariaDB reports "no default" on nullable columns as the string NULL.
  if (defaultValue === "NULL") defaultValue = null;
  if (defaultValue !== null) defaultValue = defaultValue.replace(/^'(.*)'$/, "$1");
  if (defaultValue !== null && /^current_timestamp\(3\)(\(\))?$/i.test(defaultValue))
    defaultValue = "current_timestamp(3)";
  return {
    type,
    nullable: text(row.IS_NULLABLE) === "YES",
    default: defaultValue,
    autoIncrement: text(row.EXTRA).toLowerCase().includes("auto_increment"),
  };
}

/** What the database really has, read from information_schema. */
export async function actualSchema(
  conn: Connection,
  database: string,
  ignoreTables = ["_prisma_migrations"],
): Promise<SchemaShape> {
  const tables = (await conn.query(
    "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    [database],
  )) as Row[];
  const columns = (await conn.query(
    "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
    [database],
  )) as Row[];
  const stats = (await conn.query(
    "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    [database],
  )) as Row[];
  const refs = (await conn.query(
    "SELECT CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
    [database],
  )) as Row[];
  const keyColumns = (await conn.query(
    "SELECT CONSTRAINT_NAME, TABLE_NAME, COLUMN_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION",
    [database],
  )) as Row[];
  let checks: Row[] = [];
  try {
    checks = (await conn.query(
      "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
      [database],
    )) as Row[];
  } catch {
    // MySQL before 8.0.16 has no CHECK_CONSTRAINTS view; it has a native JSON type anyway.
  }

  const shape: SchemaShape = {};
  for (const t of tables) {
    const name = text(t.TABLE_NAME);
    if (ignoreTables.includes(name)) continue;
    shape[name] = { collation: text(t.TABLE_COLLATION), columns: {}, indexes: {}, foreignKeys: {} };
  }
  const jsonValid = (table: string, column: string) =>
    checks.some(
      (c) =>
        text(c.TABLE_NAME) === table &&
        text(c.CHECK_CLAUSE).replace(/\s/g, "").toLowerCase() === `json_valid(\`${column.toLowerCase()}\`)`,
    );
  for (const c of columns) {
    const table = shape[text(c.TABLE_NAME)];
    if (table)
      table.columns[text(c.COLUMN_NAME)] = normaliseColumn(
        c,
        jsonValid(text(c.TABLE_NAME), text(c.COLUMN_NAME)),
      );
  }
  for (const r of refs) {
    const table = shape[text(r.TABLE_NAME)];
    if (!table) continue;
    const parts = keyColumns.filter(
      (k) => text(k.CONSTRAINT_NAME) === text(r.CONSTRAINT_NAME) && text(k.TABLE_NAME) === text(r.TABLE_NAME),
    );
    table.foreignKeys[text(r.CONSTRAINT_NAME)] = {
      columns: parts.map((k) => text(k.COLUMN_NAME)),
      referencedTable: text(r.REFERENCED_TABLE_NAME),
      referencedColumns: parts.map((k) => text(k.REFERENCED_COLUMN_NAME)),
      onDelete: text(r.DELETE_RULE),
      onUpdate: text(r.UPDATE_RULE),
    };
  }
  for (const s of stats) {
    const table = shape[text(s.TABLE_NAME)];
    if (!table) continue;
    const name = text(s.INDEX_NAME);
    // MySQL adds an index named after a foreign key when no index covers it; Prisma ignores those too.
    if (name in table.foreignKeys) continue;
    const index = table.indexes[name] ?? { unique: Number(s.NON_UNIQUE) === 0, columns: [] };
    index.columns.push(text(s.COLUMN_NAME));
    table.indexes[name] = index;
  }
  return shape;
}
