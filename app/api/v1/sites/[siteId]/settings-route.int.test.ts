/**
 * PATCH /api/v1/sites/:siteId as an API client sees it: 200 with the site (secret values never in
 * it), 409 CONFLICT against a stale generation, 400 INVALID_INPUT with field errors; refusals
 * write nothing.
 */
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { panelOrigin } from "@/lib/security/origin";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { createSite } from "@/lib/services/site/create-site";
import { DEFAULT_PHP_SETTINGS, DEFAULT_SITE_RESOURCES } from "@/lib/validation/site-settings";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const current: { session: { user: { id: string; email: string; name: string }; sessionId: string } | null } =
  { session: null };
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => current.session,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));

const db = withTestDatabase();
let siteId: string;

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  const acme = await createTestAccount(p, { slug: "acme", parent: platform });
  const user = await createTestUser(p, {
    email: "dev@acme.test",
    roles: [{ account: acme, role: "DEVELOPER" }],
  });
  const sessionId = await createUserSession({
    userId: user.id,
    ip: null,
    userAgent: null,
    maxAgeSeconds: 3600,
  });
  current.session = { user: { id: user.id, email: user.email, name: user.name }, sessionId };
  const { site } = await createSite({
    actor: { userId: user.id },
    accountId: acme.id,
    input: { name: "blog", domain: "blog.acme.test" },
  });
  siteId = site.id;
});

async function patch(
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const { PATCH } = await import("./route");
  const req = new NextRequest(new URL(`/api/v1/sites/${siteId}`, panelOrigin()), {
    method: "PATCH",
    headers: { origin: panelOrigin(), "sec-fetch-site": "same-origin", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const res = await PATCH(req, { params: Promise.resolve({ siteId }) });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, text };
}

const settings = (generation: number, overrides: Record<string, unknown> = {}) => ({
  generation,
  php: { ...DEFAULT_PHP_SETTINGS },
  env: [],
  resources: { ...DEFAULT_SITE_RESOURCES },
  ...overrides,
});

async function siteRow() {
  const row = await db().prisma.site.findUniqueOrThrow({ where: { id: siteId } });
  return { ...row, updatedAt: null, changes: await db().prisma.changeLog.count() };
}

describe("PATCH /api/v1/sites/:siteId", () => {
  it("saves, answering the site with the variable's name and not its secret value", async () => {
    const saved = await patch(
      settings(1, { env: [{ name: "STRIPE_KEY", secret: true, value: "sk_live_route_secret" }] }),
    );
    expect(saved.status).toBe(200);
    const site = saved.json.site as { generation: number; settings: { env: unknown[] } };
    expect(site.generation).toBe(2);
    expect(site.settings.env).toEqual([{ name: "STRIPE_KEY", secret: true }]);
    expect(saved.text).not.toContain("sk_live_route_secret");
  });

  it("answers 409 CONFLICT to a save against a stale generation, writing nothing", async () => {
    const before = await siteRow();
    const stale = await patch(settings(1, { php: { ...DEFAULT_PHP_SETTINGS, maxExecutionTime: 30 } }));
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({
      error: {
        code: "CONFLICT",
        message: "This site was changed since you opened it. Reload to see the latest settings.",
      },
    });
    expect(await siteRow()).toEqual(before);
  });

  it("answers 400 INVALID_INPUT with the field's message, writing nothing", async () => {
    const before = await siteRow();
    const bad = await patch(settings(2, { php: { ...DEFAULT_PHP_SETTINGS, timezone: "Mars/Olympus" } }));
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      error: {
        code: "INVALID_INPUT",
        fieldErrors: {
          "php.timezone": '"Mars/Olympus" is not a time zone; choose one such as Europe/Paris or UTC.',
        },
      },
    });
    expect(await siteRow()).toEqual(before);
  });
});
