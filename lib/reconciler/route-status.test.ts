import { describe, expect, it } from "vitest";
import { gatewayApiMissingStatus, withRouteRejection, withRoutingLimitations } from "./route-status";
import { observeSiteStatus } from "./site-status";

const running = { phase: "RUNNING" as const, conditions: [] };

describe("gatewayApiMissingStatus", () => {
  it("is Degraded, says what to do, and is not Progressing (only an operator can fix it)", () => {
    const status = gatewayApiMissingStatus();
    expect(status.phase).toBe("DEGRADED");
    for (const c of status.conditions) {
      expect(c.message).toBe(
        "The cluster has no Gateway API (HTTPRoute) CRDs: install them or set SITEPOD_ROUTING=ingress",
      );
    }
    expect(status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      "Ready=False",
      "Progressing=False",
      "Degraded=True",
    ]);
  });
});

describe("withRouteRejection", () => {
  it("turns a Running site whose route the Gateway refused into Degraded, with the reason", () => {
    const status = withRouteRejection(
      running,
      "The Gateway x/y does not accept the site's HTTPRoute (NotAllowedByListeners)",
    );
    expect(status.phase).toBe("DEGRADED");
    expect(status.conditions.find((c) => c.type === "Degraded")).toMatchObject({
      status: "True",
      reason: "RouteNotAccepted",
      message: "The Gateway x/y does not accept the site's HTTPRoute (NotAllowedByListeners)",
    });
  });

  it("leaves an accepted route's status, and any status that is not Running, as it was", () => {
    expect(withRouteRejection(running, undefined)).toBe(running);
    const provisioning = observeSiteStatus({ wantedDeploymentHash: "x" });
    expect(withRouteRejection(provisioning, "refused")).toBe(provisioning);
  });
});

describe("withRoutingLimitations", () => {
  it("adds a False DomainsRouted condition saying what the routing cannot do, and changes nothing else", () => {
    const status = withRoutingLimitations(running, ["Ingress routing cannot redirect.", "Nor force HTTPS."]);
    expect(status.phase).toBe(running.phase);
    expect(status.conditions.filter((c) => c.type !== "DomainsRouted")).toEqual(running.conditions);
    expect(status.conditions.find((c) => c.type === "DomainsRouted")).toEqual({
      type: "DomainsRouted",
      status: "False",
      reason: "RoutingLimited",
      message: "Ingress routing cannot redirect. Nor force HTTPS.",
    });
  });

  it("adds nothing when the routing does all the domains ask for", () => {
    expect(withRoutingLimitations(running, [])).toBe(running);
  });
});
