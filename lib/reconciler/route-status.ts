/**
 * Site statuses that come from routing rather than from the site's own objects: a cluster without
 * the Gateway API, and a Gateway that refuses the site's HTTPRoute. Pure, like site-status.ts.
 */
import type { SitePhase } from "@/lib/generated/prisma/enums";
import { NO_GATEWAY_API_MESSAGE } from "@/lib/k8s/manifests/route";
import type { ConditionInput } from "./conditions";

type Status = { phase: SitePhase; conditions: ConditionInput[] };

/**
 * The site's other objects are applied and its pod may run, but no hostname reaches it. Nothing
 * retries this faster than the periodic check: an operator has to install the CRDs (or switch
 * SITEPOD_ROUTING to ingress).
 */
export function gatewayApiMissingStatus(): Status {
  const message = NO_GATEWAY_API_MESSAGE;
  return {
    phase: "DEGRADED",
    conditions: [
      { type: "Ready", status: "False", reason: "GatewayAPIMissing", message },
      { type: "Progressing", status: "False", reason: "GatewayAPIMissing", message },
      { type: "Degraded", status: "True", reason: "GatewayAPIMissing", message },
    ],
  };
}

/**
 * A site that would otherwise be Running but whose HTTPRoute the Gateway did not accept is not
 * serving: Degraded with the Gateway's reason. Any other status (provisioning, suspended, failing)
 * says more about the site and is kept.
 */
export function withRouteRejection(status: Status, rejection: string | undefined): Status {
  if (!rejection || status.phase !== "RUNNING") return status;
  return {
    phase: "DEGRADED",
    conditions: [
      { type: "Ready", status: "False", reason: "RouteNotAccepted", message: rejection },
      { type: "Progressing", status: "False", reason: "RouteNotAccepted", message: rejection },
      { type: "Degraded", status: "True", reason: "RouteNotAccepted", message: rejection },
    ],
  };
}

/**
 * What the site's domains ask for that the routing cannot do (routingLimitations), as a
 * DomainsRouted condition, False, next to the others: the site is otherwise as it is, but the
 * owner learns that a redirect is served as an alias or HTTPS is not forced. No limitation: no
 * condition.
 */
export function withRoutingLimitations(status: Status, limitations: string[]): Status {
  if (limitations.length === 0) return status;
  return {
    ...status,
    conditions: [
      ...status.conditions.filter((c) => c.type !== "DomainsRouted"),
      { type: "DomainsRouted", status: "False", reason: "RoutingLimited", message: limitations.join(" ") },
    ],
  };
}
