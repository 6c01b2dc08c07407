import { describe, expect, it } from "vitest";
import { effectiveRole, narrowToToken, type RootMembership } from "./scope";

// platform ── reseller ── customer ── (nothing below); platform ── other
const P = "/p/";
const R = "/p/r/";
const C = "/p/r/c/";
const O = "/p/o/";

const roleOn = (path: string, roots: RootMembership[]) => effectiveRole(path, roots);

describe("narrowToToken", () => {
  it("leaves a session's memberships as they are", () => {
    const roots: RootMembership[] = [{ role: "OWNER", path: R }];
    expect(narrowToToken(roots, null)).toEqual(roots);
    expect(narrowToToken(roots, undefined)).toEqual(roots);
  });

  it("moves a membership above the token's account down onto it, capped at the token's role", () => {
    const narrowed = narrowToToken([{ role: "OWNER", path: P }], { accountPath: R, role: "VIEWER" });
    expect(narrowed).toEqual([{ role: "VIEWER", path: R }]);
    expect(roleOn(R, narrowed)).toBe("VIEWER");
    expect(roleOn(C, narrowed)).toBe("VIEWER");
    expect(roleOn(P, narrowed)).toBeNull();
    expect(roleOn(O, narrowed)).toBeNull();
  });

  it("keeps memberships below the token's account where they are, and drops the ones elsewhere", () => {
    const narrowed = narrowToToken(
      [
        { role: "VIEWER", path: R },
        { role: "OWNER", path: C },
        { role: "OWNER", path: O },
      ],
      { accountPath: R, role: "ADMIN" },
    );
    expect(narrowed).toEqual([
      { role: "VIEWER", path: R },
      { role: "ADMIN", path: C },
    ]);
    expect(roleOn(R, narrowed)).toBe("VIEWER");
    expect(roleOn(C, narrowed)).toBe("ADMIN");
    expect(roleOn(O, narrowed)).toBeNull();
  });

  it("never grants more than the user holds: a user's weaker role wins over the token's", () => {
    const narrowed = narrowToToken([{ role: "DEVELOPER", path: C }], { accountPath: C, role: "OWNER" });
    expect(roleOn(C, narrowed)).toBe("DEVELOPER");
  });

  it("grants nothing when the user holds nothing on the token's account or below", () => {
    expect(narrowToToken([{ role: "OWNER", path: O }], { accountPath: R, role: "OWNER" })).toEqual([]);
    expect(narrowToToken([], { accountPath: R, role: "OWNER" })).toEqual([]);
  });
});
