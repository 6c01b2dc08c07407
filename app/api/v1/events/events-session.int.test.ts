/**
 * An open event stream ends once the session it was opened with is revoked (signed out elsewhere,
 * password changed, member removed), instead of streaming on until its 5-minute reconnect.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetChangeHub } from "@/lib/live/change-hub";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";

const current: { session: { user: { id: string; email: string; name: string }; sessionId: string } | null } =
  { session: null };
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => current.session,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));

const db = withTestDatabase();
let user: { id: string; email: string; name: string };

beforeAll(async () => {
  user = await createTestUser(db().prisma, { email: "stream@example.test" });
});

// The route's hub polls this file's database: stop it before the database goes.
afterAll(() => resetChangeHub());

/** Reads until the stream ends by itself or `ms` pass; true if it ended. */
async function endsWithin(body: ReadableStream<Uint8Array>, ms: number): Promise<boolean> {
  const reader = body.getReader();
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), deadline - Date.now());
      });
      const next = await Promise.race([reader.read(), timeout]);
      clearTimeout(timer);
      if (next === "timeout") return false;
      if (next.done) return true;
    }
    return false;
  } finally {
    await reader.cancel().catch(() => {});
  }
}

describe("GET /api/v1/events", () => {
  it("ends an open stream when its session is revoked", async () => {
    const { GET } = await import("./route");
    const sessionId = await createUserSession({
      userId: user.id,
      ip: null,
      userAgent: null,
      maxAgeSeconds: 3600,
    });
    current.session = { user: { id: user.id, email: user.email, name: user.name }, sessionId };
    const abort = new AbortController();
    const res = await GET(new NextRequest("http://127.0.0.1:3000/api/v1/events", { signal: abort.signal }), {
      params: Promise.resolve({}),
    });
    expect(res.status).toBe(200);
    if (!res.body) throw new Error("no body");

    await revokeUserSessions({ userId: user.id, sessionId });
    try {
      expect(await endsWithin(res.body, 10_000)).toBe(true);
    } finally {
      abort.abort();
    }

    // Reconnecting with the same JWT is refused.
    const again = await GET(new NextRequest("http://127.0.0.1:3000/api/v1/events"), {
      params: Promise.resolve({}),
    });
    expect(again.status).toBe(401);
  }, 20_000);
});
