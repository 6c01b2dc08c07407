import { describe, expect, it } from "vitest";
import { likeLiteral, prefixThenContains } from "./prefix-then-contains";

const rows = (...ids: string[]) => ids.map((id) => ({ id }));

describe("prefixThenContains", () => {
  it("puts prefix matches first and fills the rest with other matches, never twice", async () => {
    const seen: { take: number; exclude: string[] }[] = [];
    const result = await prefixThenContains({
      limit: 3,
      prefix: async () => rows("acme", "acme-eu"),
      contains: async (take, exclude) => {
        seen.push({ take, exclude });
        return rows("big-acme");
      },
    });
    expect(result).toEqual({ items: rows("acme", "acme-eu", "big-acme"), more: false });
    expect(seen).toEqual([{ take: 2, exclude: ["acme", "acme-eu"] }]);
  });

  it("says there are more when the matches exceed the limit", async () => {
    const result = await prefixThenContains({
      limit: 2,
      prefix: async () => rows("a1"),
      contains: async () => rows("x-a2", "x-a3"),
    });
    expect(result).toEqual({ items: rows("a1", "x-a2"), more: true });
  });

  it("does not run the unindexed scan when prefix matches fill the page", async () => {
    let scanned = false;
    const result = await prefixThenContains({
      limit: 2,
      prefix: async (take) => rows("a1", "a2", "a3").slice(0, take),
      contains: async () => {
        scanned = true;
        return [];
      },
    });
    expect(result).toEqual({ items: rows("a1", "a2"), more: true });
    expect(scanned).toBe(false);
  });
});

describe("likeLiteral", () => {
  it("escapes LIKE's wildcards and its escape character", () => {
    expect(likeLiteral("50%")).toBe("50\\%");
    expect(likeLiteral("a_c")).toBe("a\\_c");
    expect(likeLiteral("C:\\x")).toBe("C:\\\\x");
    expect(likeLiteral("plain text")).toBe("plain text");
  });
});
