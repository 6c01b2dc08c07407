import { describe, expect, it } from "vitest";
import {
  checkTotp,
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  looksLikeTotpCode,
  totpCode,
  totpStep,
  totpUri,
} from "./totp";

// RFC 6238 appendix B's SHA-1 secret "12345678901234567890", in base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP", () => {
  it("computes the RFC 6238 test vectors (6-digit truncation)", () => {
    expect(totpCode({ secretBase32: RFC_SECRET, timestamp: 59_000 })).toBe("287082");
    expect(totpCode({ secretBase32: RFC_SECRET, timestamp: 1_111_111_109_000 })).toBe("081804");
    expect(totpCode({ secretBase32: RFC_SECRET, timestamp: 2_000_000_000_000 })).toBe("279037");
  });

  it("accepts the current code and one step either side, and nothing further", () => {
    const secretBase32 = generateTotpSecret();
    const now = 1_800_000_000_000;
    const at = (offsetSteps: number) => totpCode({ secretBase32, timestamp: now + offsetSteps * 30_000 });
    const check = (code: string) => checkTotp({ secretBase32, code, now, lastStep: null });
    expect(check(at(0))).toEqual({ ok: true, step: totpStep(now) });
    expect(check(at(-1))).toEqual({ ok: true, step: totpStep(now) - 1 });
    expect(check(at(1))).toEqual({ ok: true, step: totpStep(now) + 1 });
    expect(check(at(-2))).toEqual({ ok: false, reason: "invalid" });
    expect(check(at(2))).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a code of the step already used, or of an earlier one (replay)", () => {
    const secretBase32 = generateTotpSecret();
    const now = 1_800_000_000_000;
    const code = totpCode({ secretBase32, timestamp: now });
    const first = checkTotp({ secretBase32, code, now, lastStep: null });
    if (!first.ok) throw new Error("the current code must be valid");
    expect(checkTotp({ secretBase32, code, now, lastStep: first.step })).toEqual({
      ok: false,
      reason: "replayed",
    });
    const previous = totpCode({ secretBase32, timestamp: now - 30_000 });
    expect(checkTotp({ secretBase32, code: previous, now, lastStep: first.step })).toEqual({
      ok: false,
      reason: "replayed",
    });
    const next = totpCode({ secretBase32, timestamp: now + 30_000 });
    expect(checkTotp({ secretBase32, code: next, now: now + 30_000, lastStep: first.step }).ok).toBe(true);
  });

  it("takes codes typed with spaces and refuses anything that is not 6 digits", () => {
    const secretBase32 = generateTotpSecret();
    const now = 1_800_000_000_000;
    const code = totpCode({ secretBase32, timestamp: now });
    expect(
      checkTotp({ secretBase32, code: `${code.slice(0, 3)} ${code.slice(3)}`, now, lastStep: null }).ok,
    ).toBe(true);
    for (const bad of ["", "12345", "1234567", "abcdef"]) {
      expect(checkTotp({ secretBase32, code: bad, now, lastStep: null })).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    expect(looksLikeTotpCode("123 456")).toBe(true);
    expect(looksLikeTotpCode("abcde-fghjk")).toBe(false);
  });

  it("puts the issuer, the user's email and the secret into the otpauth URI", () => {
    const uri = totpUri({ secretBase32: RFC_SECRET, email: "ana@example.test" });
    expect(uri).toMatch(/^otpauth:\/\/totp\/Sitepod:ana%40example\.test\?/);
    expect(uri).toContain(`secret=${RFC_SECRET}`);
    expect(uri).toContain("issuer=Sitepod");
  });
});

describe("recovery codes", () => {
  it("are ten distinct codes in the xxxxx-xxxxx form, without look-alike characters", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });

  it("hash the same whatever the case, spaces or dashes, and differ from each other", () => {
    expect(hashRecoveryCode("abcde-fghjk")).toBe(hashRecoveryCode(" ABCDE FGHJK "));
    expect(hashRecoveryCode("abcde-fghjk")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode("abcde-fghjk")).not.toBe(hashRecoveryCode("abcde-fghjm"));
  });
});
