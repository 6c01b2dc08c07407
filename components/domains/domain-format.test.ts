import { describe, expect, it } from "vitest";
import { domainUsage, hasRoomFor, punycodeHint, tlsPresentation } from "./domain-format";

const observedAt = "2026-12-01T12:00:00.000Z";

describe("tlsPresentation", () => {
  it("tells the operator what to do when the platform has no TLS", () => {
    const shown = tlsPresentation({
      state: "not_configured",
      code: "TLS_NOT_CONFIGURED",
      message: "TLS is not set up on this platform.",
    });
    expect(shown.label).toBe("No TLS");
    expect(shown.detail).toContain("SITEPOD_CLUSTER_ISSUER");
  });

  it("shows the expiry of an issued certificate and the renewal date of a due one", () => {
    expect(tlsPresentation({ state: "issued", notAfter: "2027-02-28T10:01:00Z", observedAt })).toEqual({
      tone: "success",
      label: "Secure",
      detail: "Certificate valid until 2027-02-28.",
    });
    const due = tlsPresentation({
      state: "renewal_due",
      notAfter: "2027-02-28T10:01:00Z",
      renewalTime: "2027-01-29T10:01:00Z",
      reason: "Failed",
      message: "order is invalid",
      observedAt,
    });
    expect(due.tone).toBe("warning");
    expect(due.detail).toBe(
      "The certificate should have been renewed on 2027-01-29 and expires on 2027-02-28. order is invalid",
    );
  });

  it("names the pending step with cert-manager's reason, and points at DNS for a failing domain check", () => {
    const shown = tlsPresentation({
      state: "pending",
      step: "challenge",
      reason: "HTTP-01 challenge pending",
      message: "Waiting for HTTP-01 challenge propagation: failed to perform self check GET request",
      observedAt,
    });
    expect(shown.label).toBe("Checking domain");
    expect(shown.detail).toBe(
      "Domain check: Waiting for HTTP-01 challenge propagation: failed to perform self check GET request Make sure the domain's DNS points to this platform.",
    );
  });

  it("shows a failure with its reason", () => {
    const shown = tlsPresentation({
      state: "failed",
      reason: "Order errored",
      message: "rateLimited",
      observedAt,
    });
    expect(shown).toMatchObject({ tone: "danger", label: "TLS failed" });
    expect(shown.detail).toMatch(/^Order errored: rateLimited/);
  });
});

describe("domainUsage and hasRoomFor", () => {
  it("says how many of the plan's domains are used", () => {
    expect(domainUsage({ used: 3, limit: 5 })).toBe("3 of 5 domains");
    expect(domainUsage({ used: 1, limit: 1 })).toBe("1 of 1 domain");
    expect(domainUsage({ used: 2, limit: null })).toBe("2 domains");
    expect(hasRoomFor({ used: 4, limit: 5 }, 1)).toBe(true);
    expect(hasRoomFor({ used: 4, limit: 5 }, 2)).toBe(false);
    expect(hasRoomFor({ used: 40, limit: null }, 2)).toBe(true);
  });
});

describe("punycodeHint", () => {
  it("shows the punycode form only for international names", () => {
    expect(punycodeHint({ hostname: "xn--bcher-kva.example", unicodeHostname: "bücher.example" })).toBe(
      "xn--bcher-kva.example",
    );
    expect(punycodeHint({ hostname: "shop.example", unicodeHostname: "shop.example" })).toBeNull();
  });
});
