import { describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";
import { withTestDatabase } from "@/tests/helpers/db";
import { formatCredentials, seedDatabase } from "./seed";

const db = withTestDatabase();

describe("seedDatabase", () => {
  it("creates the platform and demo accounts with their owners, idempotently", async () => {
    const prisma = db().prisma;
    const first = await seedDatabase({ prisma, adminPassword: undefined, demoPassword: "demo-pass" });
    expect(first.map((u) => [u.email, u.password, u.defaultPassword])).toEqual([
      [
        "admin@sitepod.local",
        process.env.SITEPOD_ADMIN_PASSWORD || "sitepod-admin",
        !process.env.SITEPOD_ADMIN_PASSWORD,
      ],
      ["demo@sitepod.local", "demo-pass", false],
      [
        "reseller@sitepod.local",
        process.env.SITEPOD_RESELLER_PASSWORD || "sitepod-reseller",
        !process.env.SITEPOD_RESELLER_PASSWORD,
      ],
      [
        "agency@sitepod.local",
        process.env.SITEPOD_AGENCY_PASSWORD || "sitepod-agency",
        !process.env.SITEPOD_AGENCY_PASSWORD,
      ],
    ]);

    const demoUser = await verifyCredentials({ email: "demo@sitepod.local", password: "demo-pass" });
    expect(demoUser).not.toBeNull();
    const demoAccounts = (await listMyAccounts({ actor: { userId: demoUser?.id ?? "" } })).accounts;
    expect(demoAccounts.map((a) => [a.slug, a.kind, a.role])).toEqual([["demo", "CUSTOMER", "OWNER"]]);

    const admin = await prisma.user.findUniqueOrThrow({ where: { email: "admin@sitepod.local" } });
    const adminAccounts = (await listMyAccounts({ actor: { userId: admin.id } })).accounts;
    expect(adminAccounts.map((a) => [a.slug, a.role]).sort()).toEqual([
      ["acme-hosting", "OWNER"],
      ["demo", "OWNER"],
      ["northwind", "OWNER"],
      ["pixel-agency", "OWNER"],
      ["platform", "OWNER"],
      ["wayfarer", "OWNER"],
    ]);
    const agency = await prisma.user.findUniqueOrThrow({ where: { email: "agency@sitepod.local" } });
    const agencyAccounts = (await listMyAccounts({ actor: { userId: agency.id } })).accounts;
    expect(agencyAccounts.map((a) => [a.slug, a.kind]).sort()).toEqual([
      ["northwind", "CUSTOMER"],
      ["pixel-agency", "AGENCY"],
      ["wayfarer", "CUSTOMER"],
    ]);
    const reseller = await prisma.account.findUniqueOrThrow({
      where: { slug: "acme-hosting" },
      include: { allotment: true, ownedPlans: true },
    });
    expect(reseller.allotment?.maxSites).toBe(50);
    expect(reseller.ownedPlans.map((p) => p.name)).toEqual(["Starter"]);
    const platform = await prisma.account.findUniqueOrThrow({ where: { slug: "platform" } });
    const demo = await prisma.account.findUniqueOrThrow({ where: { slug: "demo" } });
    expect(platform.path).toBe(`/${platform.id}/`);
    expect(demo).toMatchObject({ parentId: platform.id, path: `/${platform.id}/${demo.id}/` });

    const counts = async () => [
      await prisma.account.count(),
      await prisma.user.count(),
      await prisma.membership.count(),
      await prisma.plan.count(),
      await prisma.allotment.count(),
    ];
    const before = await counts();
    const again = await seedDatabase({ prisma, adminPassword: undefined, demoPassword: undefined });
    expect(await counts()).toEqual(before);
    expect(again.find((u) => u.email === "demo@sitepod.local")?.password ?? null).toBe(
      process.env.SITEPOD_DEMO_PASSWORD || null,
    );
    if (!process.env.SITEPOD_DEMO_PASSWORD) {
      expect(await verifyCredentials({ email: "demo@sitepod.local", password: "demo-pass" })).not.toBeNull();
      expect(formatCredentials(again)).toMatch(/demo@sitepod\.local +\(unchanged\)/);
    }
  });
});
