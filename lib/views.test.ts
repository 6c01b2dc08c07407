import { describe, expect, it } from "vitest";
import type { Account } from "@/lib/generated/prisma/client";
import { type Condition, degradedCondition, toAccountView } from "./views";

function account(conditions: unknown): Account {
  const now = new Date("2026-01-01T00:00:00Z");
  return {
    id: "acc1",
    slug: "acme",
    name: "Acme",
    kind: "CUSTOMER",
    status: "ACTIVE",
    parentId: "res1",
    path: "/root/res1/acc1/",
    createdAt: now,
    updatedAt: now,
    planId: null,
    suspendedAt: null,
    suspendedReason: null,
    terminationRequestedAt: null,
    conditions: conditions as Account["conditions"],
    requireTwoFactor: false,
  };
}

const blocked: Condition = {
  type: "Degraded",
  status: "True",
  reason: "TerminationBlocked",
  message: "2 sites are still being deleted",
  lastTransitionTime: "2026-01-01T00:00:00.000Z",
  observedGeneration: 0,
};

describe("toAccountView", () => {
  it("carries the reconciler's conditions, and none before its first pass or when unreadable", () => {
    expect(toAccountView(account([blocked]), "OWNER").conditions).toEqual([blocked]);
    expect(toAccountView(account(null), "OWNER").conditions).toEqual([]);
    expect(toAccountView(account({ not: "a list" }), "OWNER").conditions).toEqual([]);
  });
});

describe("degradedCondition", () => {
  it("finds Degraded=True only", () => {
    expect(degradedCondition([blocked])).toEqual(blocked);
    expect(
      degradedCondition([{ ...blocked, status: "False", reason: "AsExpected", message: "" }]),
    ).toBeNull();
    expect(degradedCondition([{ ...blocked, type: "Ready", status: "False" }])).toBeNull();
  });
});
