import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";

const requireActor = vi.fn();
vi.mock("@/lib/auth/session", () => ({ requireActor: () => requireActor(), clientIp: () => "203.0.113.4" }));
const authenticateBearer = vi.fn();
vi.mock("@/lib/auth/bearer", () => ({
  authenticateBearer: (header: string | null, ip: string | null) => authenticateBearer(header, ip),
  isTokenError: (value: object) => "status" in value,
}));

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

  describe("API tokens (Authorization: Bearer)", () => {
    const principal = {
      userId: "u2",
      ip: "203.0.113.4",
      sessionId: null,
      token: { id: "t1", name: "ci", accountId: "a1", accountPath: "/a1/", role: "VIEWER" },
    };
    const bearer = (headers: Record<string, string> = {}) =>
      new NextRequest("http://127.0.0.1:3000/api/v1/sites/abc", {
        method: "POST",
        // What a script sends: no Origin, no Sec-Fetch-Site, not even a JSON content type.
        headers: { authorization: "Bearer sp_token", cookie: "next-auth.session-token=x", ...headers },
        body: "{}",
      });

    beforeEach(() => {
      authenticateBearer.mockReset();
      authenticateBearer.mockResolvedValue(principal);
    });

    it("runs the handler as the token's principal, without the cross-site check or the session", async () => {
      const route = withActor(
        async ({ actor }) => jsonResponse({ user: actor.userId, token: actor.token?.id }),
        {
          name: "test",
          params,
        },
      );
      const res = await route(bearer(), ctx({ siteId: "abc" }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ user: "u2", token: "t1" });
      expect(authenticateBearer).toHaveBeenCalledWith("Bearer sp_token", "203.0.113.4");
      expect(requireActor).not.toHaveBeenCalled();
    });

    it("answers a refused token with 401, its code and a Bearer challenge, never falling back to the cookie", async () => {
      authenticateBearer.mockResolvedValue({ code: "TOKEN_REVOKED", status: 401, message: "revoked" });
      const handler = vi.fn();
      const res = await withActor(handler, { name: "test", params })(bearer(), ctx({ siteId: "abc" }));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "TOKEN_REVOKED", message: "revoked" } });
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="sitepod", error="invalid_token"');
      expect(requireActor).not.toHaveBeenCalled();
      expect(handler).not.toHaveBeenCalled();
    });

    it("refuses a good token on a session-only route with 403", async () => {
      const handler = vi.fn();
      const res = await withActor(handler, { name: "test", params, sessionOnly: "change your password" })(
        bearer(),
        ctx({ siteId: "abc" }),
      );
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: {
          code: "FORBIDDEN",
          message: "An API token cannot change your password. Sign in to the panel to do it.",
        },
      });
      expect(handler).not.toHaveBeenCalled();
    });

    it("leaves other schemes (a proxy's Basic credentials) to the session and its cross-site check", async () => {
      const handler = vi.fn();
      const res = await withActor(handler, { name: "test", params })(
        bearer({ authorization: "Basic dXNlcjpwYXNz" }),
        ctx({ siteId: "abc" }),
      );
      expect(authenticateBearer).not.toHaveBeenCalled();
      expect(requireActor).toHaveBeenCalled();
      expect(res.status).toBe(403);
      expect(handler).not.toHaveBeenCalled();
    });
  });
});
