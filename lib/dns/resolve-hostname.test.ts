import { describe, expect, it } from "vitest";
import { type ResolverFunctions, resolveHostname } from "./resolve-hostname";

const failing = (code: string) => Promise.reject(Object.assign(new Error(code), { code }));
const never = () => new Promise<never>(() => {});

function resolver(overrides: Partial<ResolverFunctions>): ResolverFunctions {
  return {
    lookup: () => failing("ENOTFOUND"),
    resolveCname: () => failing("ENODATA"),
    ...overrides,
  };
}

describe("resolveHostname", () => {
  it("gives the addresses, and the CNAME only when asked", async () => {
    const r = resolver({
      lookup: async () => ["203.0.113.10"],
      resolveCname: async () => ["lb.example.net"],
    });
    expect(await resolveHostname("www.example.com", { cname: true, resolver: r })).toEqual({
      lookup: { outcome: "addresses", addresses: ["203.0.113.10"] },
      cname: "lb.example.net",
    });
    expect(await resolveHostname("www.example.com", { cname: false, resolver: r })).toEqual({
      lookup: { outcome: "addresses", addresses: ["203.0.113.10"] },
      cname: null,
    });
  });

  it("tells no such name from a failing resolver", async () => {
    for (const code of ["ENOTFOUND", "ENODATA"]) {
      expect(
        (
          await resolveHostname("x.example", {
            cname: true,
            resolver: resolver({ lookup: () => failing(code) }),
          })
        ).lookup,
      ).toEqual({ outcome: "not_found" });
    }
    expect(
      (
        await resolveHostname("x.example", {
          cname: false,
          resolver: resolver({ lookup: () => failing("EAI_AGAIN") }),
        })
      ).lookup,
    ).toEqual({ outcome: "failed", reason: "error", code: "EAI_AGAIN" });
  });

  it("gives up after the time limit, whichever lookup hangs", async () => {
    const started = Date.now();
    const result = await resolveHostname("slow.example", {
      cname: true,
      timeoutMs: 50,
      resolver: resolver({ lookup: never, resolveCname: never }),
    });
    expect(result).toEqual({ lookup: { outcome: "failed", reason: "timeout" }, cname: null });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
