import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";

const requireActor = vi.fn();
vi.mock("@/lib/auth/session", () => ({ requireActor: () => requireActor() }));

const { defineAction } = await import("@/lib/actions/safe-action");

const schema = z.object({ name: z.string().min(3, "Too short") });

describe("defineAction", () => {
  beforeEach(() => {
    requireActor.mockReset();
    requireActor.mockResolvedValue({ userId: "u1", ip: "10.0.0.1" });
  });

  it("passes the actor and the parsed input to the handler", async () => {
    const handler = vi.fn(
      async ({ actor, input }: { actor: { userId: string }; input: { name: string } }) => ({
        who: actor.userId,
        name: input.name,
      }),
    );
    const action = defineAction({ name: "test", schema, handler });
    expect(await action({ name: "blog", extra: true })).toEqual({
      ok: true,
      data: { who: "u1", name: "blog" },
    });
  });

  it("answers UNAUTHENTICATED without calling the handler when there is no session", async () => {
    requireActor.mockRejectedValue(new AppError("UNAUTHENTICATED", "Sign in to continue."));
    const handler = vi.fn();
    const action = defineAction({ name: "test", schema, handler });
    expect(await action({ name: "blog" })).toEqual({
      ok: false,
      code: "UNAUTHENTICATED",
      message: "Sign in to continue.",
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it("maps schema failures to field errors without calling the handler", async () => {
    const handler = vi.fn();
    const action = defineAction({ name: "test", schema, handler });
    const result = await action({ name: "x" });
    expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { name: "Too short" } });
    expect(handler).not.toHaveBeenCalled();
  });

  it("passes AppErrors from the service through, field errors included", async () => {
    const action = defineAction({
      name: "test",
      schema,
      handler: async () => {
        throw new AppError("CONFLICT", "blog.example.com is already in use.", { domain: "taken" });
      },
    });
    expect(await action({ name: "blog" })).toEqual({
      ok: false,
      code: "CONFLICT",
      message: "blog.example.com is already in use.",
      fieldErrors: { domain: "taken" },
    });
  });

  it("hides unexpected errors behind a generic message", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockReturnValue(true);
    const action = defineAction({
      name: "test",
      schema,
      handler: async () => {
        throw new Error("connection refused to 10.1.2.3");
      },
    });
    const result = await action({ name: "blog" });
    expect(result).toMatchObject({ ok: false, code: "INTERNAL" });
    expect(JSON.stringify(result)).not.toContain("10.1.2.3");
    expect(String(stderr.mock.calls[0]?.[0])).toContain('"action":"test"');
    stderr.mockRestore();
  });
});
