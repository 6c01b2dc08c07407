import { describe, expect, it } from "vitest";
import { databaseWorkOf } from "./database-work";

describe("databaseWorkOf", () => {
  it("wakes the object a database change names", () => {
    expect(databaseWorkOf({ kind: "Database", objectId: "d1", data: null })).toEqual({ databaseId: "d1" });
    expect(databaseWorkOf({ kind: "DatabaseUser", objectId: "u1", data: null })).toEqual({
      databaseUserId: "u1",
    });
    expect(databaseWorkOf({ kind: "DatabaseServer", objectId: "s1", data: null })).toEqual({
      serverId: "s1",
    });
  });

  it("sends a grant to its database, whose pass applies grants", () => {
    expect(
      databaseWorkOf({ kind: "DatabaseGrant", objectId: "g1", data: { databaseId: "d1", userId: "u1" } }),
    ).toEqual({
      databaseId: "d1",
    });
    expect(databaseWorkOf({ kind: "DatabaseGrant", objectId: "g1", data: null })).toEqual({});
  });

  it("ignores other kinds", () => {
    expect(databaseWorkOf({ kind: "Site", objectId: "s1", data: { databaseId: "d1" } })).toEqual({});
  });
});
