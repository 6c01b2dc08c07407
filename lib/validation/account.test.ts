import { describe, expect, it } from "vitest";
import { assignPlanSchema, createAccountSchema, listAuditLogSchema, suspendAccountSchema } from "./account";

function messages(result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  const out: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) out[issue.path.map(String).join(".")] ??= issue.message;
  return out;
}

const allotment = {
  maxSites: 100,
  maxDomains: 500,
  maxDatabases: 100,
  maxCronJobs: 100,
  storageGiB: 1000,
  cpuMillicores: 16000,
  memoryMiB: 65536,
  backupsKept: 30,
};

describe("createAccountSchema", () => {
  it("normalises a customer without plan or allotment", () => {
    expect(createAccountSchema.parse({ kind: "CUSTOMER", slug: " acme ", name: " Acme Inc " })).toEqual({
      kind: "CUSTOMER",
      slug: "acme",
      name: "Acme Inc",
      planId: null,
      allotment: null,
    });
    expect(createAccountSchema.parse({ kind: "CUSTOMER", slug: "acme", name: "A", planId: "" }).planId).toBe(
      null,
    );
  });

  it("accepts a reseller with an allotment, defaulting the oversell ratio", () => {
    const parsed = createAccountSchema.parse({ kind: "RESELLER", slug: "res-1", name: "R", allotment });
    expect(parsed.allotment).toEqual({ ...allotment, oversellRatio: 1 });
  });

  it("refuses an allotment on a customer, a bad slug and an unknown kind", () => {
    expect(
      messages(createAccountSchema.safeParse({ kind: "CUSTOMER", slug: "acme", name: "A", allotment })),
    ).toEqual({ allotment: "Only resellers and agencies have an allotment." });
    expect(messages(createAccountSchema.safeParse({ kind: "PLATFORM", slug: "Acme", name: "" }))).toEqual({
      kind: "Choose reseller, agency or customer.",
      slug: "Use lower-case letters only.",
      name: "Enter a name.",
    });
    expect(messages(createAccountSchema.safeParse({ kind: "CUSTOMER", slug: "-a", name: "A" }))).toEqual({
      slug: "Use only lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. acme-corp).",
    });
    expect(messages(createAccountSchema.safeParse({ kind: "CUSTOMER", slug: "a", name: "A" }))).toEqual({
      slug: "Use at least 2 characters.",
    });
  });
});

describe("suspendAccountSchema", () => {
  it("requires a reason", () => {
    expect(suspendAccountSchema.parse({ reason: " unpaid invoice " })).toEqual({ reason: "unpaid invoice" });
    expect(messages(suspendAccountSchema.safeParse({ reason: "  " }))).toEqual({
      reason: "Enter the reason for the suspension.",
    });
  });
});

describe("assignPlanSchema", () => {
  it("takes a plan id or null", () => {
    expect(assignPlanSchema.parse({ planId: "p1" })).toEqual({ planId: "p1" });
    expect(assignPlanSchema.parse({ planId: null })).toEqual({ planId: null });
    expect(messages(assignPlanSchema.safeParse({ planId: "" }))).toEqual({ planId: "Choose a plan." });
  });
});

describe("listAuditLogSchema", () => {
  it("defaults the limit and checks the cursor", () => {
    expect(listAuditLogSchema.parse({})).toEqual({ limit: 50 });
    expect(listAuditLogSchema.parse({ before: "42", limit: "10" })).toEqual({ before: "42", limit: 10 });
    expect(listAuditLogSchema.safeParse({ before: "x" }).success).toBe(false);
    expect(listAuditLogSchema.safeParse({ limit: 1000 }).success).toBe(false);
  });
});
