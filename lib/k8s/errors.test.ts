import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { isKindNotServed } from "./errors";

describe("isKindNotServed", () => {
  it("recognises client-node's lookup of a kind the API server does not serve", () => {
    // A group that is not served: the discovery request answers 404, client-node prefixes the message.
    const lookup = new ApiException(404, "HTTP-Code: 404", "404 page not found", {});
    lookup.message = `Failed to fetch resource metadata for gateway.networking.k8s.io/v1/HTTPRoute: ${lookup.message}`;
    expect(isKindNotServed(lookup)).toBe(true);
    expect(
      isKindNotServed(new Error("Unrecognized API version and kind: cert-manager.io/v1 Certificate")),
    ).toBe(true);
  });

  it("does not take an object that is missing, or any other error, for a missing kind", () => {
    expect(isKindNotServed(new ApiException(404, 'namespaces "sp-x" not found', "", {}))).toBe(false);
    expect(
      isKindNotServed(new ApiException(403, "Failed to fetch resource metadata: forbidden", "", {})),
    ).toBe(false);
    expect(isKindNotServed("Unrecognized API version and kind")).toBe(false);
  });
});
