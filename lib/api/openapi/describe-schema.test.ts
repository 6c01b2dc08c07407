import { describe, expect, it } from "vitest";
import { z } from "zod";
import { schemaFields, schemaRules, schemaType } from "@/lib/api/openapi/describe-schema";
import { requestSchema } from "@/lib/api/openapi/document";

describe("schemaType", () => {
  it("names types, literals, unions and arrays", () => {
    expect(schemaType({ type: "string" })).toBe("string");
    expect(schemaType({ type: "string", enum: ["PHP", "WORDPRESS"] })).toBe('"PHP" or "WORDPRESS"');
    expect(schemaType({ anyOf: [{ type: "number", const: 7 }, { type: "null" }] })).toBe("7 or null");
    expect(schemaType({ type: "array", items: { type: "integer" } })).toBe("array of integer");
    expect(schemaType({})).toBe("any");
  });
});

describe("schemaRules", () => {
  it("says the lengths, bounds, pattern and default", () => {
    expect(schemaRules({ type: "string", minLength: 1, maxLength: 80 })).toEqual(["1–80 characters"]);
    expect(schemaRules({ type: "integer", minimum: 1 })).toEqual(["at least 1"]);
    expect(schemaRules({ type: "string", pattern: "^a$", default: "a" })).toEqual([
      "pattern ^a$",
      'default "a"',
    ]);
  });
});

describe("schemaFields", () => {
  it("lists an object's fields, required first as declared, nested objects and arrays of objects", () => {
    const schema = requestSchema(
      z.object({
        name: z.string().min(1).describe("The site's name."),
        php: z.object({ memoryLimit: z.number().int().optional() }),
        env: z.array(z.object({ key: z.string() })).optional(),
      }),
    );
    const fields = schemaFields(schema);
    expect(fields.map((f) => [f.name, f.required, f.type])).toEqual([
      ["name", true, "string"],
      ["php", true, "object"],
      ["env", false, "array of object"],
    ]);
    expect(fields[0]?.description).toBe("The site's name.");
    expect(fields[1]?.fields.map((f) => f.name)).toEqual(["memoryLimit"]);
    expect(fields[2]?.fields.map((f) => f.name)).toEqual(["key"]);
  });
});
