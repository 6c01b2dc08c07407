import { beforeAll, describe, expect, it } from "vitest";
import type { Account } from "@/lib/generated/prisma/client";
import { findBrandByHostname } from "@/lib/services/brand/find-brand-by-hostname";
import { findBrandLogoByHostname } from "@/lib/services/brand/find-brand-logo-by-hostname";
import { getBrand } from "@/lib/services/brand/get-brand";
import { getBrandLogo } from "@/lib/services/brand/get-brand-logo";
import { getPanelBrand } from "@/lib/services/brand/get-panel-brand";
import { removeBrand } from "@/lib/services/brand/remove-brand";
import { removeBrandLogo } from "@/lib/services/brand/remove-brand-logo";
import { setBrandLogo } from "@/lib/services/brand/set-brand-logo";
import { updateBrand } from "@/lib/services/brand/update-brand";
import { createSite } from "@/lib/services/site/create-site";
import { DOMAIN_NOT_AVAILABLE_MESSAGE } from "@/lib/services/site/assert-domain-available";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;
let agency: Account;
let client: Account;
let clientOwner: { id: string };

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#1d4ed8"/></svg>';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const base64 = (data: string | Buffer) => Buffer.from(data).toString("base64");

beforeAll(async () => {
  const p = db().prisma;
  t = await createHostingTree(p);
  // An agency below reseller A, with a client: two levels below the reseller.
  agency = await createTestAccount(p, { slug: "studio", name: "Studio", kind: "AGENCY", parent: t.resA });
  client = await createTestAccount(p, { slug: "studio-client", name: "Studio client", parent: agency });
  clientOwner = await createTestUser(p, {
    email: "owner@studio-client.test",
    roles: [{ account: client, role: "OWNER" }],
  });
});

const admin = () => ({ userId: t.resAAdmin.id, ip: "198.51.100.30" });
const brandA = { name: "Acme Cloud", primaryColor: "#1D4ED8", hostname: "Panel.AcmeCloud.test" };

describe("updateBrand", () => {
  it("sets a reseller's white label, normalised, with an audit-log row", async () => {
    const view = await updateBrand({ actor: admin(), accountId: t.resA.id, input: brandA });
    expect(view).toMatchObject({
      accountId: t.resA.id,
      name: "Acme Cloud",
      primaryColor: "#1d4ed8",
      hostname: "panel.acmecloud.test",
      logo: null,
    });
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { kind: "Brand" },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({
      action: "CREATED",
      accountId: t.resA.id,
      actorUserId: t.resAAdmin.id,
      actorIp: "198.51.100.30",
      summary: "Set the branding: Acme Cloud, colour #1d4ed8, panel hostname panel.acmecloud.test",
    });
    expect(await getBrand({ actor: { userId: t.resAViewer.id }, accountId: t.resA.id })).toMatchObject({
      name: "Acme Cloud",
    });
  });

  it("refuses a colour too light to read, at its field, naming the darker shade", async () => {
    const err = await rejection(
      updateBrand({ actor: admin(), accountId: t.resA.id, input: { ...brandA, primaryColor: "#ffcc00" } }),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors?.primaryColor).toMatch(
      /^#ffcc00 is too light: .*The nearest darker shade that reads well is #[0-9a-f]{6}\.$/,
    );
  });

  it("keeps hostnames unique and away from the panel's, the platform's and sites' names", async () => {
    const p = db().prisma;
    const taken = await rejection(
      updateBrand({
        actor: { userId: t.resBAdmin.id },
        accountId: t.resB.id,
        input: { name: "B", primaryColor: "#000000", hostname: "panel.acmecloud.test" },
      }),
    );
    expect([taken.code, taken.fieldErrors]).toEqual([
      "CONFLICT",
      {
        hostname: "This hostname is not available. Choose another, or contact your provider if it is yours.",
      },
    ]);
    // (Globex: below reseller B, which holds no allotment, so it needs no plan for a site.)
    await createSite({
      actor: { userId: t.resBAdmin.id },
      accountId: t.globex.id,
      input: { name: "shop", domain: "shop.globex.test", app: "PHP" },
    });
    for (const hostname of ["shop.globex.test", "panel.localhost", "x.svc"]) {
      const err = await rejection(
        updateBrand({
          actor: { userId: t.resBAdmin.id },
          accountId: t.resB.id,
          input: { name: "B", primaryColor: "#000000", hostname },
        }),
      );
      expect([hostname, err.code]).toEqual([hostname, "CONFLICT"]);
    }
    // The other way round: no site may take a reseller's panel hostname.
    const site = await rejection(
      createSite({
        actor: { userId: t.resBAdmin.id },
        accountId: t.globex.id,
        input: { name: "grab", domain: "panel.acmecloud.test", app: "PHP" },
      }),
    );
    expect(site.message).toBe(DOMAIN_NOT_AVAILABLE_MESSAGE);
    // Keeping one's own hostname is no conflict; another free one is taken.
    await updateBrand({ actor: admin(), accountId: t.resA.id, input: { ...brandA, name: "Acme Cloud" } });
    expect(await p.brand.count({ where: { accountId: t.resB.id } })).toBe(0);
  });

  it("is the reseller's owners' and admins' only: not its viewers, its customers, other resellers; resellers only", async () => {
    const p = db().prisma;
    const before = await p.brand.findUniqueOrThrow({ where: { accountId: t.resA.id } });
    const changes = await p.changeLog.count();
    const input = { ...brandA, name: "Hijacked" };
    const viewer = await rejection(
      updateBrand({ actor: { userId: t.resAViewer.id }, accountId: t.resA.id, input }),
    );
    expect([viewer.code, viewer.message]).toEqual([
      "FORBIDDEN",
      "Your role (viewer) does not allow you to change the branding.",
    ]);
    for (const userId of [t.acmeOwner.id, t.resBAdmin.id, t.stranger.id]) {
      for (const call of [
        () => updateBrand({ actor: { userId }, accountId: t.resA.id, input }),
        () => setBrandLogo({ actor: { userId }, accountId: t.resA.id, input: { logo: base64(SVG) } }),
        () => removeBrandLogo({ actor: { userId }, accountId: t.resA.id }),
        () => removeBrand({ actor: { userId }, accountId: t.resA.id }),
        () => getBrand({ actor: { userId }, accountId: t.resA.id }),
      ]) {
        expect((await rejection(call())).code).toBe("NOT_FOUND");
      }
    }
    // The customer's own owner cannot brand the customer: only resellers brand.
    const customer = await rejection(
      updateBrand({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id, input: brandA }),
    );
    expect([customer.code, customer.message]).toEqual([
      "INVALID_INPUT",
      "Only resellers brand the panel of the accounts below them.",
    ]);
    expect(await p.brand.findUniqueOrThrow({ where: { accountId: t.resA.id } })).toEqual(before);
    expect(await p.changeLog.count()).toBe(changes);
  });
});

describe("setBrandLogo, getBrandLogo and removeBrandLogo", () => {
  it("stores an image read as what its bytes are, and serves it to the accounts below", async () => {
    const view = await setBrandLogo({ actor: admin(), accountId: t.resA.id, input: { logo: base64(SVG) } });
    expect(view.logo).toEqual({
      contentType: "image/svg+xml",
      url: expect.stringMatching(new RegExp(`^/api/v1/accounts/${t.resA.id}/brand/logo\\?v=[0-9a-f]{16}$`)),
    });
    // Acme's owner (below, not a member of the reseller) gets it for their own account.
    const logo = await getBrandLogo({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect([logo.contentType, Buffer.from(logo.bytes).toString()]).toEqual(["image/svg+xml", SVG]);
    // So does the agency's client, two levels below.
    expect(
      (await getBrandLogo({ actor: { userId: clientOwner.id }, accountId: client.id })).contentType,
    ).toBe("image/svg+xml");
    // A PNG replaces it.
    await setBrandLogo({ actor: admin(), accountId: t.resA.id, input: { logo: base64(PNG) } });
    expect(
      (await getBrandLogo({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id })).contentType,
    ).toBe("image/png");
  });

  it("refuses what is no accepted image, at the logo field, and other trees' callers", async () => {
    const script = await rejection(
      setBrandLogo({
        actor: admin(),
        accountId: t.resA.id,
        input: { logo: base64('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') },
      }),
    );
    expect(script.fieldErrors?.logo).toContain("This SVG contains a script");
    const gif = await rejection(
      setBrandLogo({ actor: admin(), accountId: t.resA.id, input: { logo: base64("GIF89a") } }),
    );
    expect(gif.fieldErrors?.logo).toBe(
      "This file is not an image Sitepod accepts. Choose a PNG, JPEG, WebP or SVG image.",
    );
    const big = Buffer.alloc(256 * 1024 + 1);
    PNG.copy(big);
    const tooBig = await rejection(
      setBrandLogo({ actor: admin(), accountId: t.resA.id, input: { logo: base64(big) } }),
    );
    expect(tooBig.fieldErrors?.logo).toBe(
      "The image is 257 KiB; a logo may be at most 256 KiB. Export it smaller.",
    );
    // Globex's owner and reseller B reach nothing of reseller A's.
    expect(
      (await rejection(getBrandLogo({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id }))).code,
    ).toBe("NOT_FOUND");
    // Reseller B's own customer has no brand above it: no logo.
    const none = await rejection(getBrandLogo({ actor: { userId: t.resBAdmin.id }, accountId: t.globex.id }));
    expect([none.code, none.message]).toEqual(["NOT_FOUND", "No logo."]);
  });

  it("removes the logo: the panel shows the name alone", async () => {
    expect((await removeBrandLogo({ actor: admin(), accountId: t.resA.id })).logo).toBeNull();
    expect((await rejection(removeBrandLogo({ actor: admin(), accountId: t.resA.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect(
      (await getPanelBrand({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id }))?.logoUrl,
    ).toBeNull();
    await setBrandLogo({ actor: admin(), accountId: t.resA.id, input: { logo: base64(SVG) } });
  });
});

describe("getPanelBrand: the brand by the account's ancestry", () => {
  it("gives every account below the reseller, at any depth, the reseller's brand, and nothing of the reseller", async () => {
    for (const [userId, accountId] of [
      [t.acmeOwner.id, t.acme.id],
      [clientOwner.id, client.id],
      [t.resAAdmin.id, agency.id],
      [t.platformOwner.id, t.acme.id],
    ] as const) {
      const brand = await getPanelBrand({ actor: { userId }, accountId });
      expect(brand).toEqual({
        name: "Acme Cloud",
        primaryColor: "#1d4ed8",
        logoUrl: expect.stringMatching(
          new RegExp(`^/api/v1/accounts/${accountId}/brand/logo\\?v=[0-9a-f]{16}$`),
        ),
      });
      expect(JSON.stringify(brand)).not.toContain(t.resA.id);
    }
  });

  it("leaves the reseller's own panel, other trees and the platform Sitepod's", async () => {
    expect(await getPanelBrand({ actor: admin(), accountId: t.resA.id })).toBeNull();
    expect(await getPanelBrand({ actor: { userId: t.resBAdmin.id }, accountId: t.globex.id })).toBeNull();
    expect(
      await getPanelBrand({ actor: { userId: t.platformOwner.id }, accountId: t.platform.id }),
    ).toBeNull();
    expect(
      (await rejection(getPanelBrand({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id }))).code,
    ).toBe("NOT_FOUND");
  });
});

describe("findBrandByHostname: the brand by the Host a request came to", () => {
  it("answers the reseller's branding for its hostname, in any spelling of the Host header", async () => {
    for (const host of ["panel.acmecloud.test", "PANEL.AcmeCloud.test:443", "panel.acmecloud.test."]) {
      expect(await findBrandByHostname(host)).toEqual({
        name: "Acme Cloud",
        primaryColor: "#1d4ed8",
        logoUrl: expect.stringMatching(/^\/api\/v1\/panel-brand\/logo\?v=[0-9a-f]{16}$/),
      });
    }
    const logo = await findBrandLogoByHostname("panel.acmecloud.test");
    expect(logo?.contentType).toBe("image/svg+xml");
  });

  it("answers nothing for any other name, and once the hostname is gone", async () => {
    for (const host of [
      null,
      "",
      "127.0.0.1:3000",
      "other.example.test",
      "panel.acmecloud.test.evil.test",
      "[::1]:80",
    ]) {
      expect(await findBrandByHostname(host)).toBeNull();
      expect(await findBrandLogoByHostname(host)).toBeNull();
    }
    await updateBrand({ actor: admin(), accountId: t.resA.id, input: { ...brandA, hostname: "" } });
    expect(await findBrandByHostname("panel.acmecloud.test")).toBeNull();
  });
});

describe("removeBrand", () => {
  it("removes the white label: Sitepod's again below the reseller", async () => {
    await removeBrand({ actor: admin(), accountId: t.resA.id });
    expect(await getBrand({ actor: admin(), accountId: t.resA.id })).toBeNull();
    expect(await getPanelBrand({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id })).toBeNull();
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { kind: "Brand" },
      orderBy: { id: "desc" },
    });
    expect([change.action, change.summary]).toEqual(["DELETED", "Removed the branding Acme Cloud"]);
    // A logo needs a brand first.
    const logo = await rejection(
      setBrandLogo({ actor: admin(), accountId: t.resA.id, input: { logo: base64(SVG) } }),
    );
    expect(logo.fieldErrors?.logo).toBe("Save a name and colour first; then add the logo.");
  });
});
