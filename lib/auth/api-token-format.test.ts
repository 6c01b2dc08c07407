import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { API_TOKEN_ID_PATTERN } from "@/lib/validation/api-token";
import {
  API_TOKEN_PATTERN,
  apiTokenMatches,
  generateApiToken,
  hashApiToken,
  parseApiToken,
} from "./api-token-format";

describe("API token format", () => {
  it("is sp_<16 id chars>_<40 secret chars><6 checksum chars>, recognisable by its prefix", () => {
    const { id, token } = generateApiToken();
    expect(token).toMatch(/^sp_[0-9a-z]{16}_[0-9A-Za-z]{46}$/);
    expect(token).toMatch(API_TOKEN_PATTERN);
    expect(token.startsWith(`sp_${id}_`)).toBe(true);
    expect(id).toMatch(API_TOKEN_ID_PATTERN);
  });

  it("draws a fresh id and secret each time", () => {
    const tokens = Array.from({ length: 200 }, () => generateApiToken());
    expect(new Set(tokens.map((t) => t.id)).size).toBe(200);
    expect(new Set(tokens.map((t) => t.token.slice(20, 60))).size).toBe(200);
    // Every secret character class shows up: the alphabet is really base62.
    const secrets = tokens.map((t) => t.token.slice(20, 60)).join("");
    expect(secrets).toMatch(/[A-Z]/);
    expect(secrets).toMatch(/[a-z]/);
    expect(secrets).toMatch(/[0-9]/);
  });

  it("parses the id back out of a token it generated", () => {
    const { id, token } = generateApiToken();
    expect(parseApiToken(token)).toEqual({ id });
  });

  it("refuses anything else: other prefixes, wrong lengths, a changed character (checksum)", () => {
    const { token } = generateApiToken();
    const flipped = (at: number) =>
      `${token.slice(0, at)}${token[at] === "a" ? "b" : "a"}${token.slice(at + 1)}`;
    for (const bad of [
      "",
      "sp_",
      token.slice(0, -1),
      `${token}x`,
      `gh_${token.slice(3)}`,
      token.toUpperCase(),
      ` ${token}`,
      flipped(5),
      flipped(30),
      flipped(token.length - 1),
    ]) {
      expect(parseApiToken(bad), bad).toBeNull();
    }
  });

  it("stores the SHA-256 of the whole token, never the token", () => {
    const { token, secretHash } = generateApiToken();
    expect(secretHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(secretHash).toBe(hashApiToken(token));
    expect(secretHash).not.toContain(token.slice(20, 60));
  });

  it("matches a token against its hash only", () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(apiTokenMatches(a.token, a.secretHash)).toBe(true);
    expect(apiTokenMatches(b.token, a.secretHash)).toBe(false);
    expect(apiTokenMatches(a.token, "")).toBe(false);
    expect(apiTokenMatches(a.token, "not hex")).toBe(false);
  });
});
