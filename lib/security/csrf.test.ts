import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "@/lib/security/csrf";

const OWN = "https://panel.example.com";

function request(method: string, headers: Record<string, string>, body?: string): Request {
  return new Request(`${OWN}/api/v1/accounts/a1/invites`, { method, headers, body });
}

const json = { "content-type": "application/json" };

describe("crossSiteRefusal", () => {
  it("lets reads through whatever their origin", () => {
    expect(crossSiteRefusal(request("GET", { origin: "http://evil.example" }), OWN)).toBeNull();
    expect(crossSiteRefusal(request("HEAD", {}), OWN)).toBeNull();
  });

  it("accepts a JSON change from the panel's own origin", () => {
    expect(crossSiteRefusal(request("POST", { ...json, origin: OWN }, "{}"), OWN)).toBeNull();
    expect(
      crossSiteRefusal(
        request("PATCH", { "content-type": "Application/JSON; charset=utf-8", origin: OWN }, "{}"),
        OWN,
      ),
    ).toBeNull();
  });

  it("accepts Sec-Fetch-Site: same-origin when the browser sent no Origin", () => {
    expect(
      crossSiteRefusal(request("PUT", { ...json, "sec-fetch-site": "same-origin" }, "{}"), OWN),
    ).toBeNull();
  });

  it("refuses a change from another origin, even with Sec-Fetch-Site: same-origin", () => {
    for (const origin of [
      "http://evil.example",
      "null",
      "https://panel.example.com.evil.example",
      "http://panel.example.com",
    ]) {
      const refusal = crossSiteRefusal(
        request("POST", { ...json, origin, "sec-fetch-site": "same-origin" }, "{}"),
        OWN,
      );
      expect(refusal, origin).toContain(`did not come from the panel at ${OWN}`);
    }
  });

  it("refuses a change that says it is cross-site or same-site but not same-origin", () => {
    for (const site of ["cross-site", "same-site", "none"]) {
      expect(crossSiteRefusal(request("DELETE", { "sec-fetch-site": site }), OWN), site).not.toBeNull();
    }
  });

  it("refuses a change with neither Origin nor Sec-Fetch-Site", () => {
    expect(crossSiteRefusal(request("DELETE", {}), OWN)).not.toBeNull();
    expect(crossSiteRefusal(request("POST", json, "{}"), OWN)).not.toBeNull();
  });

  it("refuses bodies that are not JSON, which other sites can send without a preflight", () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
    ]) {
      const refusal = crossSiteRefusal(request("POST", { "content-type": type, origin: OWN }, "{}"), OWN);
      expect(refusal, type).toContain("Content-Type: application/json");
    }
    expect(crossSiteRefusal(request("POST", { origin: OWN }), OWN)).toContain("application/json");
  });

  it("lets a DELETE without a body through without a content type", () => {
    expect(crossSiteRefusal(request("DELETE", { origin: OWN }), OWN)).toBeNull();
    expect(crossSiteRefusal(request("DELETE", { origin: OWN, "content-length": "0" }), OWN)).toBeNull();
    expect(
      crossSiteRefusal(
        request("DELETE", { origin: OWN, "content-type": "text/plain", "content-length": "1" }, "x"),
        OWN,
      ),
    ).toContain("application/json");
  });
});
