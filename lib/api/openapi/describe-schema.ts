/**
 * Words for a JSON Schema, as the API reference shows a parameter or a body field: its type and
 * the rules the zod schema it came from enforces.
 */
export type JsonSchema = Record<string, unknown>;

export interface SchemaField {
  name: string;
  required: boolean;
  type: string;
  rules: string[];
  description?: string;
  /** The fields of an object, or of the objects in an array. */
  fields: SchemaField[];
}

function literal(value: unknown): string {
  return JSON.stringify(value);
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "string", "integer", "array of object", "\"WORDPRESS\" or \"PHP\"", "any". */
export function schemaType(schema: JsonSchema): string {
  if ("const" in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(" or ");
  const variants = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(variants)) {
    return [...new Set(variants.filter(isSchema).map(schemaType))].join(" or ");
  }
  if (schema.type === "array") {
    return isSchema(schema.items) ? `array of ${schemaType(schema.items)}` : "array";
  }
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  if (typeof schema.type === "string") return schema.type;
  return "any";
}

/** "1–80 characters", "at most 1024", "pattern ^[a-z]+$", "default \"admin\"". */
export function schemaRules(schema: JsonSchema): string[] {
  const rules: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    const suffix = unit ? ` ${unit}` : "";
    if (typeof min === "number" && typeof max === "number") {
      rules.push(min === max ? `exactly ${min}${suffix}` : `${min}–${max}${suffix}`);
    } else if (typeof min === "number") rules.push(`at least ${min}${suffix}`);
    else if (typeof max === "number") rules.push(`at most ${max}${suffix}`);
  };
  range(schema.minLength, schema.maxLength, "characters");
  range(schema.minimum, schema.maximum, "");
  range(schema.minItems, schema.maxItems, "items");
  if (typeof schema.exclusiveMinimum === "number") rules.push(`more than ${schema.exclusiveMinimum}`);
  if (typeof schema.exclusiveMaximum === "number") rules.push(`less than ${schema.exclusiveMaximum}`);
  if (typeof schema.format === "string") rules.push(`format ${schema.format}`);
  if (typeof schema.pattern === "string") rules.push(`pattern ${schema.pattern}`);
  if ("default" in schema) rules.push(`default ${literal(schema.default)}`);
  return rules;
}

/** The fields of an object schema (or of the object items of an array), nested as they are. */
export function schemaFields(schema: JsonSchema, depth = 0): SchemaField[] {
  if (depth > 6) return [];
  const target = schema.type === "array" && isSchema(schema.items) ? schema.items : schema;
  const properties = target.properties;
  if (!isSchema(properties)) {
    // An object that is one of several shapes: the fields of each, once.
    const variants = (target.anyOf ?? target.oneOf) as unknown;
    if (!Array.isArray(variants)) return [];
    const seen = new Set<string>();
    return variants
      .filter(isSchema)
      .flatMap((variant) => schemaFields(variant, depth))
      .filter((field) => !seen.has(field.name) && seen.add(field.name) !== undefined);
  }
  const required = new Set(Array.isArray(target.required) ? (target.required as string[]) : []);
  return Object.entries(properties)
    .filter((entry): entry is [string, JsonSchema] => isSchema(entry[1]))
    .map(([name, property]) => ({
      name,
      required: required.has(name),
      type: schemaType(property),
      rules: schemaRules(property),
      ...(typeof property.description === "string" ? { description: property.description } : {}),
      fields: schemaFields(property, depth + 1),
    }));
}
