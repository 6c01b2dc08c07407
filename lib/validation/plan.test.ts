import { describe, expect, it } from "vitest";
import { allotmentSchema, createPlanSchema, formatLimit, updatePlanSchema } from "./plan";

const limits = {
  maxSites: 3,
  maxDomains: 10,
  maxDatabases: 3,
  maxCronJobs: 5,
  storageGiB: 20,
  cpuMillicores: 1000,
  memoryMiB: 2048,
  backupsKept: 7,
};

function messages(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  const out: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) out[issue.path.map(String).join(".")] ??= issue.message;
  return out;
}

describe("createPlanSchema", () => {
  it("accepts numbers and numeric strings from forms, and trims the name", () => {
    expect(createPlanSchema.parse({ name: "  Starter ", ...limits, maxSites: " 5 " })).toEqual({
      name: "Starter",
      ...limits,
      maxSites: 5,
    });
  });

  it("refuses missing, empty, negative, fractional and huge limits with a message per field", () => {
    const result = createPlanSchema.safeParse({
      name: "",
      ...limits,
      maxSites: "",
      maxDomains: -1,
      storageGiB: 1.5,
      backupsKept: 1e9,
      memoryMiB: undefined,
    });
    expect(messages(result)).toEqual({
      name: "Enter a plan name.",
      maxSites: "Enter the number of sites.",
      maxDomains: "Enter 0 or more.",
      storageGiB: "Enter a whole number.",
      backupsKept: "Enter at most 10000.",
      memoryMiB: "Enter the number of MiB of memory.",
    });
  });

  it("refuses a name longer than 80 characters", () => {
    expect(messages(createPlanSchema.safeParse({ name: "x".repeat(81), ...limits }))).toEqual({
      name: "Use at most 80 characters.",
    });
  });
});

describe("updatePlanSchema", () => {
  it("accepts a subset and refuses an empty change", () => {
    expect(updatePlanSchema.parse({ maxSites: "4" })).toEqual({ maxSites: 4 });
    expect(messages(updatePlanSchema.safeParse({}))).toEqual({ "": "Change at least one field." });
  });
});

describe("allotmentSchema", () => {
  it("defaults the oversell ratio to 1 (no overselling)", () => {
    expect(allotmentSchema.parse(limits)).toEqual({ ...limits, oversellRatio: 1 });
    expect(allotmentSchema.parse({ ...limits, oversellRatio: "1.25" }).oversellRatio).toBe(1.25);
  });

  it.each([
    [0.5, "Enter 1 or more (1 means no overselling)."],
    [11, "Enter at most 10."],
    [1.255, "Use at most two decimals."],
  ])("refuses oversell ratio %s", (oversellRatio, message) => {
    expect(messages(allotmentSchema.safeParse({ ...limits, oversellRatio }))).toEqual({
      oversellRatio: message,
    });
  });
});

describe("formatLimit", () => {
  it("uses singular and plural", () => {
    expect(formatLimit("maxSites", 1)).toBe("1 site");
    expect(formatLimit("maxSites", 3)).toBe("3 sites");
    expect(formatLimit("storageGiB", 20)).toBe("20 GiB of storage");
    expect(formatLimit("maxCronJobs", 0)).toBe("0 cron jobs");
  });
});
