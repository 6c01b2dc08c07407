/** Display names with control or invisible characters are refused by every service, writing nothing. */
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "@/lib/services/account/create-account";
import { createPlan } from "@/lib/services/plan/create-plan";
import { updatePlan } from "@/lib/services/plan/update-plan";
import { registerUser } from "@/lib/services/user/register-user";
import { INVISIBLE_CHARACTER_MESSAGE } from "@/lib/validation/display-name";
import { withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma, "dn-");
});

const BAD_NAMES = [
  ["a right-to-left override (U+202E)", "Invoice\u202Efdp.exe"],
  ["a zero-width space (U+200B)", "Acme\u200B"],
  ["a NUL (U+0000)", "Acme\u0000Corp"],
] as const;

describe("display names", () => {
  it.each(BAD_NAMES)("refuses an account name with %s", async (_what, name) => {
    const before = await rowCounts(db().prisma);
    const err = await rejection(
      createAccount({
        actor: { userId: t.platformOwner.id },
        parentId: t.platform.id,
        input: { kind: "CUSTOMER", slug: "initech", name },
      }),
    );
    expect([err.code, err.fieldErrors]).toEqual(["INVALID_INPUT", { name: INVISIBLE_CHARACTER_MESSAGE }]);
    expect(await rowCounts(db().prisma)).toEqual(before);
  });

  it.each(BAD_NAMES)("refuses a plan name with %s, on creation and on rename", async (_what, name) => {
    const plan = await createPlan({
      actor: { userId: t.resAAdmin.id },
      ownerAccountId: t.resA.id,
      input: { name: `Plan ${_what.length}`, ...limits() },
    });
    const before = await rowCounts(db().prisma);
    const created = await rejection(
      createPlan({
        actor: { userId: t.resAAdmin.id },
        ownerAccountId: t.resA.id,
        input: { name, ...limits() },
      }),
    );
    const renamed = await rejection(
      updatePlan({ actor: { userId: t.resAAdmin.id }, planId: plan.id, input: { name } }),
    );
    for (const err of [created, renamed]) {
      expect([err.code, err.fieldErrors]).toEqual(["INVALID_INPUT", { name: INVISIBLE_CHARACTER_MESSAGE }]);
    }
    expect(await rowCounts(db().prisma)).toEqual(before);
    expect((await db().prisma.plan.findUniqueOrThrow({ where: { id: plan.id } })).name).toBe(plan.name);
  });

  it.each(BAD_NAMES)("refuses a user name with %s at registration", async (_what, name) => {
    const before = { ...(await rowCounts(db().prisma)), users: await db().prisma.user.count() };
    const err = await rejection(
      registerUser({
        input: { token: "a".repeat(43), name, email: "new@example.test", password: "a long password" },
      }),
    );
    expect([err.code, err.fieldErrors?.name]).toEqual(["INVALID_INPUT", INVISIBLE_CHARACTER_MESSAGE]);
    expect({ ...(await rowCounts(db().prisma)), users: await db().prisma.user.count() }).toEqual(before);
  });
});
