import { describe, expect, it } from "vitest";
import {
  attributedActor,
  currentChangeAttribution,
  withChangeAttribution,
  withExternalAttribution,
} from "./attribution";

const grant = { id: "imp1", operatorUserId: "u-operator", operatorName: "Olivia", expiresAt: new Date() };

/** What the function sees as current: right after an await, in a microtask and in a later macrotask. */
async function seenInside() {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return Promise.all([
    Promise.resolve().then(() => currentChangeAttribution()),
    new Promise((resolve) => setImmediate(() => resolve(currentChangeAttribution()))),
  ]);
}

describe("withChangeAttribution", () => {
  it("makes the support session current for everything the function awaits, and only there", async () => {
    const seen = await withChangeAttribution({ impersonation: grant }, seenInside);
    expect(seen).toEqual([
      { operatorUserId: "u-operator", impersonationId: "imp1" },
      { operatorUserId: "u-operator", impersonationId: "imp1" },
    ]);
    expect(currentChangeAttribution()).toBeUndefined();
  });

  it("leaves calls outside a support session alone", async () => {
    expect(
      await withChangeAttribution({ impersonation: null }, async () => currentChangeAttribution()),
    ).toBeUndefined();
  });
});

describe("withExternalAttribution", () => {
  it("makes the external identity current for everything the function awaits, and only there", async () => {
    const seen = await withExternalAttribution({ actorName: "alice" }, seenInside);
    expect(seen).toEqual([{ actorName: "alice" }, { actorName: "alice" }]);
    expect(currentChangeAttribution()).toBeUndefined();
  });
});

describe("attributedActor", () => {
  it("names the operator as the actor in a support session, whatever the service passed", () => {
    expect(
      attributedActor(
        { actorUserId: "u-customer" },
        { operatorUserId: "u-operator", impersonationId: "imp1" },
      ),
    ).toEqual({ actorUserId: "u-operator", impersonationId: "imp1", actorName: null });
  });

  it("names the external identity and no Sitepod user, whatever the service passed", () => {
    expect(attributedActor({ actorUserId: "system:kubernetes" }, { actorName: "alice" })).toEqual({
      actorUserId: null,
      impersonationId: null,
      actorName: "alice",
    });
  });

  it("cuts an external name longer than the column", () => {
    expect(attributedActor({}, { actorName: "x".repeat(300) }).actorName).toHaveLength(255);
  });

  it("keeps what the service passed otherwise", () => {
    expect(attributedActor({ actorUserId: "u-customer" }, undefined)).toEqual({
      actorUserId: "u-customer",
      impersonationId: null,
      actorName: null,
    });
    expect(attributedActor({}, undefined)).toEqual({
      actorUserId: null,
      impersonationId: null,
      actorName: null,
    });
  });
});
