import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";

const requireActor = vi.fn();
vi.mock("@/lib/auth/session", () => ({ requireActor: () => requireActor() }));

const { jsonResponse, withActor } = await import("@/lib/api/with-actor");

const params = z.object({ siteId: z.string().regex(/^[a-z0-9]+$/, "Invalid id") });
const ctx = (value: Record<string, string>) => ({ params: Promise.resolve(value) });
const req = () => new NextRequest("http://127.0.0.1/api/v1/sites/abc");

describe("withActor", () => {
  beforeEach(() => {
    requireActor.mockReset();
    requireActor.mockResolvedValue({ userId: "u1", ip: null });
  });

  it("runs the handler with the actor and validated params", async () => {
    const route = withActor(
      async ({ actor, params: p }) => jsonResponse({ user: actor.userId, site: p.siteId }),
      {
        name: "test",
        params,
      },
    );
    const res = await route(req(), ctx({ siteId: "abc" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: "u1", site: "abc" });
  });

  it("answers 401 JSON without a session", async () => {
    requireActor.mockRejectedValue(new AppError("UNAUTHENTICATED", "Sign in to continue."));
    const handler = vi.fn();
    const res = await withActor(handler, { name: "test", params })(req(), ctx({ siteId: "abc" }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers 400 with field errors for invalid params", async () => {
    const res = await withActor(vi.fn(), { name: "test", params })(req(), ctx({ siteId: "../x" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: "INVALID_INPUT", fieldErrors: { siteId: "Invalid id" } },
    });
  });

  it("maps AppError codes to their HTTP status", async () => {
    const route = withActor(
      async () => {
        throw new AppError("NOT_FOUND", "Site not found.");
      },
      { name: "test", params },
    );
    const res = await route(req(), ctx({ siteId: "abc" }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Site not found." } });
  });

  describe("changes made with the session cookie", () => {
    const post = (headers: Record<string, string>) =>
      new NextRequest("http://127.0.0.1:3000/api/v1/sites/abc", { method: "POST", headers, body: "{}" });
    const own = "http://127.0.0.1:3000";

    it("refuses a cross-site POST with 403 JSON before the handler runs", async () => {
      const handler = vi.fn();
      const route = withActor(handler, { name: "test", params });
      const res = await route(
        post({ origin: "http://evil.example", "content-type": "text/plain" }),
        ctx({ siteId: "abc" }),
      );
      expect(res.status).toBe(403);
      const body = await res.json();
      expect(body.error.code).toBe("FORBIDDEN");
      expect(body.error.message).toContain(`did not come from the panel at ${own}`);
      expect(handler).not.toHaveBeenCalled();
    });

    it("refuses a same-origin POST whose body is not JSON", async () => {
      const handler = vi.fn();
      const res = await withActor(handler, { name: "test", params })(
        post({ origin: own, "content-type": "text/plain" }),
        ctx({ siteId: "abc" }),
      );
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toContain("Content-Type: application/json");
      expect(handler).not.toHaveBeenCalled();
    });

    it("runs a same-origin JSON POST", async () => {
      const route = withActor(async () => jsonResponse({ done: true }, { status: 201 }), {
        name: "test",
        params,
      });
      const res = await route(
        post({ origin: own, "content-type": "application/json" }),
        ctx({ siteId: "abc" }),
      );
      expect(res.status).toBe(201);
    });

    it("answers 401 to an anonymous cross-site POST, without saying more", async () => {
      requireActor.mockRejectedValue(new AppError("UNAUTHENTICATED", "Sign in to continue."));
      const res = await withActor(vi.fn(), { name: "test", params })(
        post({ origin: "http://evil.example" }),
        ctx({ siteId: "abc" }),
      );
      expect(res.status).toBe(401);
    });
  });
});
