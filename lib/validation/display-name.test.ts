import { describe, expect, it } from "vitest";
import { createAccountSchema } from "./account";
import { displayNameSchema, INVISIBLE_CHARACTER_MESSAGE } from "./display-name";
import { createPlanSchema, updatePlanSchema } from "./plan";
import { registerUserSchema } from "./user";

const name = displayNameSchema({ required: "Enter a name.", max: 20 });

function firstMessage(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.success ? null : (result.error?.issues[0]?.message ?? null);
}

const limits = {
  maxSites: 1,
  maxDomains: 1,
  maxDatabases: 1,
  maxCronJobs: 1,
  storageGiB: 1,
  cpuMillicores: 100,
  memoryMiB: 128,
  backupsKept: 1,
};

describe("displayNameSchema", () => {
  it.each([
    ["a right-to-left override (U+202E)", "Acme\u202Egnp.exe"],
    ["a zero-width space (U+200B)", "Ac\u200Bme"],
    ["a NUL (U+0000)", "Acme\u0000"],
    ["a byte-order mark inside (U+FEFF)", "Ac\uFEFFme"],
    ["a line separator (U+2028)", "Acme\u2028Corp"],
    ["a paragraph separator (U+2029)", "Acme\u2029Corp"],
    ["a newline inside", "Acme\nCorp"],
    ["a tab", "Acme\tCorp"],
    ["a private-use character (U+E000)", "Acme\uE000"],
    ["a lone surrogate", "Acme\uD800"],
    ["a left-to-right isolate (U+2066)", "\u2066Acme"],
    ["a Hangul filler (U+3164), shown as nothing", "\u3164"],
  ])("refuses %s", (_what, value) => {
    expect(firstMessage(name.safeParse(value))).toBe(INVISIBLE_CHARACTER_MESSAGE);
  });

  it("trims, NFC-normalises, and keeps letters of every script, punctuation and emoji", () => {
    expect(name.parse("  Cafe\u0301 ")).toBe("Caf\u00e9");
    expect(name.parse("Müller & Søn, Ltd.")).toBe("Müller & Søn, Ltd.");
    expect(name.parse("مقهى")).toBe("مقهى");
    expect(name.parse("東京 🚀")).toBe("東京 🚀");
  });

  it("requires a value and counts the length after normalising", () => {
    expect(firstMessage(name.safeParse("   "))).toBe("Enter a name.");
    expect(firstMessage(name.safeParse(undefined))).toBe("Enter a name.");
    expect(firstMessage(name.safeParse("a".repeat(21)))).toBe("Use at most 20 characters.");
    expect(name.parse("e\u0301".repeat(20))).toBe("\u00e9".repeat(20));
  });
});

describe("every display name refuses control and invisible characters", () => {
  const bad = ["Evil\u202Etxt.exe", "Zero\u200Bwidth", "Nul\u0000"];

  it.each(bad)("account names: %j", (value) => {
    const result = createAccountSchema.safeParse({ kind: "CUSTOMER", slug: "acme", name: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["name", INVISIBLE_CHARACTER_MESSAGE],
    ]);
  });

  it.each(bad)("plan names, on creation and on update: %j", (value) => {
    for (const result of [
      createPlanSchema.safeParse({ name: value, ...limits }),
      updatePlanSchema.safeParse({ name: value }),
    ]) {
      expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
        ["name", INVISIBLE_CHARACTER_MESSAGE],
      ]);
    }
  });

  it.each(bad)("user names at registration: %j", (value) => {
    const result = registerUserSchema.safeParse({
      token: "a".repeat(43),
      name: value,
      email: "someone@example.test",
      password: "long enough password",
    });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["name", INVISIBLE_CHARACTER_MESSAGE],
    ]);
  });
});
