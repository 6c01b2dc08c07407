import { describe, expect, it } from "vitest";
import { GET as live } from "@/app/api/health/live/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { createPrismaClient, setPrismaClient } from "@/lib/db";
import { withTestDatabase } from "@/tests/helpers/db";

describe("health routes", () => {
  const db = withTestDatabase();

  it("is live without touching the database", async () => {
    const res = live();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("is ready when the database answers", async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", checks: { database: "ok" } });
  });

  it("is unready, without details, when the database is unreachable", async () => {
    // Port 9 (discard) on loopback: nothing listens, so the connection is refused.
    const broken = createPrismaClient("mysql://root@127.0.0.1:9/none?connectTimeout=500&acquireTimeout=1000");
    setPrismaClient(broken);
    try {
      const res = await ready();
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body).toEqual({ status: "unavailable", checks: { database: "unreachable" } });
      expect(JSON.stringify(body)).not.toContain("127.0.0.1");
    } finally {
      setPrismaClient(db().prisma);
      await broken.$disconnect();
    }
  });
});
