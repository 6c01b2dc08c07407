import type { V1Deployment, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import type { SitePhase } from "@/lib/generated/prisma/enums";
import { specHashOf } from "@/lib/k8s/manifests/hash";
import type { Condition } from "@/lib/views";
import { type ConditionInput, conditionsChanged } from "./conditions";
import { type Fault, type InstallState, podsFault } from "./site-faults";

export interface SiteStatus {
  phase: SitePhase;
  observedGeneration: number;
  conditions: Condition[];
}

/** Whether writing `next` would change anything (no write, no change-log row otherwise). */
export function statusChanged(current: SiteStatus, next: SiteStatus): boolean {
  if (current.phase !== next.phase || current.observedGeneration !== next.observedGeneration) return true;
  return conditionsChanged(current.conditions, next.conditions);
}

export interface Observation {
  /** The Deployment as the informer last saw it. */
  deployment?: V1Deployment;
  /** The spec hash of the Deployment Sitepod wants: a cached one with another hash is stale. */
  wantedDeploymentHash: string;
  pvc?: V1PersistentVolumeClaim;
  /** The Deployment's pods as the informer last saw them. */
  pods?: V1Pod[];
  /** A WordPress site whose install is not recorded as done: where its install Job stands. */
  install?: InstallState;
  /** Needed to tell a pod that is slow to become Ready from one that never will. */
  now?: Date;
}

export interface ObservedStatus {
  phase: SitePhase;
  conditions: ConditionInput[];
  /** Set when Degraded because of a pod or the install: the reconciler attaches its evidence. */
  fault?: Fault;
  /** Nothing will change in the cluster to wake the reconciler, but the status may: look again then. */
  recheckAfterMs?: number;
}

/** Ready when the Deployment Sitepod rendered has rolled out and its replicas are available. */
export function deploymentAvailable(dep: V1Deployment | undefined, wantedHash: string): boolean {
  if (!dep || specHashOf(dep) !== wantedHash) return false;
  const wanted = dep.spec?.replicas ?? 1;
  const status = dep.status;
  if (!status) return false;
  return (
    (status.observedGeneration ?? 0) >= (dep.metadata?.generation ?? 1) &&
    (status.updatedReplicas ?? 0) >= wanted &&
    (status.availableReplicas ?? 0) >= wanted &&
    (status.unavailableReplicas ?? 0) === 0
  );
}

function stuckRollout(dep: V1Deployment | undefined): string | undefined {
  const progressing = dep?.status?.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return progressing.message ?? "The rollout did not progress within its deadline";
  }
  return undefined;
}

/**
 * The ReplicaSet could not create the pod (the Deployment copies its ReplicaFailure condition):
 * usually the plan's ResourceQuota, which retrying alone will not fix.
 */
function replicaFailure(dep: V1Deployment | undefined): { reason: string; message: string } | undefined {
  const failure = dep?.status?.conditions?.find((c) => c.type === "ReplicaFailure" && c.status === "True");
  if (!failure) return undefined;
  return podCreationFailure(failure.message ?? "The site's pod could not be created");
}

function podCreationFailure(message: string): { reason: string; message: string } {
  return /exceeded quota/.test(message)
    ? { reason: "QuotaExceeded", message: `The account's plan has no room for this site's pod: ${message}` }
    : { reason: "ReplicaFailure", message };
}

/**
 * Degraded because of something Kubernetes keeps retrying (a pull, a restart, a probe) or Sitepod
 * will (a failed install): the evidence comes with the Degraded condition.
 */
export function faultStatus(fault: Fault): ObservedStatus {
  const { reason, message } = fault;
  return {
    phase: "DEGRADED",
    conditions: [
      { type: "Ready", status: "False", reason, message },
      { type: "Progressing", status: "True", reason, message },
      { type: "Degraded", status: "True", reason, message },
    ],
    fault,
  };
}

function provisioning(
  waitingFor: { reason: string; message: string },
  recheckAfterMs?: number,
): ObservedStatus {
  return {
    phase: "PROVISIONING",
    conditions: [
      { type: "Ready", status: "False", ...waitingFor },
      { type: "Progressing", status: "True", ...waitingFor },
      { type: "Degraded", status: "False", reason: "AsExpected", message: "" },
    ],
    ...(recheckAfterMs === undefined ? {} : { recheckAfterMs }),
  };
}

/** The install is not done: the site cannot be Running whatever its (scaled-down) Deployment says. */
function installStatus(install: InstallState, pvc: V1PersistentVolumeClaim | undefined): ObservedStatus {
  if (install.state === "failed") return faultStatus(install.fault);
  if (install.state === "running" && install.fault) return faultStatus(install.fault);
  if (install.state === "succeeded") {
    return provisioning({ reason: "Installed", message: "WordPress is installed; starting the site" });
  }
  const waitingFor =
    pvc?.status?.phase !== "Bound"
      ? { reason: "VolumePending", message: "Waiting for the files volume to be provisioned" }
      : { reason: "Installing", message: "Installing WordPress into the site's volume and database" };
  return provisioning(waitingFor, install.state === "running" ? install.recheckAfterMs : undefined);
}

/** Phase and conditions of a site whose objects were all applied, from what the informers see. */
/**
 * The install Job cannot create its pod (its FailedCreate event says why): Degraded, not an endless
 * Provisioning. A quota that has no room stays that way until the plan or the sites change.
 */
export function installPodRefusedStatus(eventMessage: string): ObservedStatus {
  const failure = podCreationFailure(`The install Job's pod was refused: ${eventMessage}`);
  return {
    phase: "DEGRADED",
    conditions: [
      { type: "Ready", status: "False", ...failure },
      { type: "Progressing", status: "True", ...failure },
      { type: "Degraded", status: "True", ...failure },
    ],
    recheckAfterMs: 30_000,
  };
}

export function observeSiteStatus(obs: Observation): ObservedStatus {
  if (obs.install) return installStatus(obs.install, obs.pvc);
  if (deploymentAvailable(obs.deployment, obs.wantedDeploymentHash)) {
    return {
      phase: "RUNNING",
      conditions: [
        { type: "Ready", status: "True", reason: "Available", message: "The site is serving" },
        { type: "Progressing", status: "False", reason: "Complete", message: "All objects are up to date" },
        { type: "Degraded", status: "False", reason: "AsExpected", message: "" },
      ],
    };
  }
  const pods = podsFault(obs.pods ?? [], obs.now ?? new Date());
  if (pods.fault) return faultStatus(pods.fault);
  const stuck = stuckRollout(obs.deployment);
  if (stuck) {
    return {
      phase: "DEGRADED",
      conditions: [
        { type: "Ready", status: "False", reason: "RolloutStuck", message: stuck },
        { type: "Progressing", status: "False", reason: "RolloutStuck", message: stuck },
        { type: "Degraded", status: "True", reason: "RolloutStuck", message: stuck },
      ],
    };
  }
  const failure = replicaFailure(obs.deployment);
  if (failure) {
    return {
      phase: "DEGRADED",
      conditions: [
        { type: "Ready", status: "False", ...failure },
        { type: "Progressing", status: "True", ...failure },
        { type: "Degraded", status: "True", ...failure },
      ],
    };
  }
  const waitingFor =
    obs.pvc?.status?.phase !== "Bound"
      ? { reason: "VolumePending", message: "Waiting for the files volume to be provisioned" }
      : { reason: "DeploymentNotAvailable", message: "Waiting for the site's pod to become available" };
  return provisioning(waitingFor, pods.recheckAfterMs);
}

/**
 * The Degraded condition to write for `fault`: the one already stored when it reports the same
 * fault (same reason and message), so its evidence is fetched once, when the fault appears, and
 * not on every pass.
 */
export function storedEvidence(stored: readonly Condition[], fault: Fault): string | undefined {
  const degraded = stored.find((c) => c.type === "Degraded");
  if (degraded?.status !== "True" || degraded.reason !== fault.reason || degraded.message !== fault.message) {
    return undefined;
  }
  return degraded.logs ?? "";
}

/** The status with the fault's evidence attached to its Degraded condition. */
export function withEvidence(status: ObservedStatus, logs: string): ObservedStatus {
  return {
    ...status,
    conditions: status.conditions.map((c) =>
      c.type === "Degraded" && c.status === "True" ? { ...c, logs } : c,
    ),
  };
}

/** The spec cannot be rendered: retrying will not help until someone changes it. */
export function invalidSpecStatus(message: string): { phase: SitePhase; conditions: ConditionInput[] } {
  return {
    phase: "DEGRADED",
    conditions: [
      { type: "Ready", status: "False", reason: "InvalidSpec", message },
      { type: "Progressing", status: "False", reason: "InvalidSpec", message },
      { type: "Degraded", status: "True", reason: "InvalidSpec", message },
    ],
  };
}

/** Applying failed; the reconciler retries with backoff and the next success clears this. */
export function applyFailedStatus(message: string): { phase: SitePhase; conditions: ConditionInput[] } {
  return {
    phase: "DEGRADED",
    conditions: [
      { type: "Ready", status: "False", reason: "ApplyFailed", message },
      { type: "Progressing", status: "True", reason: "Retrying", message },
      { type: "Degraded", status: "True", reason: "ApplyFailed", message },
    ],
  };
}

/**
 * The site's database could not be created or updated. The message stays generic: the driver's
 * error names servers and users, which are the operator's business, not the tenant's.
 */
export function databaseUnavailableStatus(): { phase: SitePhase; conditions: ConditionInput[] } {
  const message = "The site's database server is not reachable; retrying";
  return {
    phase: "DEGRADED",
    conditions: [
      { type: "Ready", status: "False", reason: "DatabaseUnavailable", message },
      { type: "Progressing", status: "True", reason: "Retrying", message },
      { type: "Degraded", status: "True", reason: "DatabaseUnavailable", message },
    ],
  };
}

export function deletingStatus(): { phase: SitePhase; conditions: ConditionInput[] } {
  const message = "Removing the site's Kubernetes objects";
  return {
    phase: "DELETING",
    conditions: [
      { type: "Ready", status: "False", reason: "Deleting", message },
      { type: "Progressing", status: "True", reason: "Deleting", message },
      { type: "Degraded", status: "False", reason: "AsExpected", message: "" },
    ],
  };
}

/**
 * The account is suspended: the site is scaled to zero on purpose, so it is neither progressing
 * nor degraded once its pods are gone. The reason is the one the provider gave the account.
 */
export function suspendedStatus(
  reason: string,
  podsRemaining: number,
): { phase: SitePhase; conditions: ConditionInput[] } {
  const message = reason ? `The account is suspended: ${reason}` : "The account is suspended";
  return {
    phase: "SUSPENDED",
    conditions: [
      { type: "Ready", status: "False", reason: "AccountSuspended", message },
      podsRemaining > 0
        ? {
            type: "Progressing",
            status: "True",
            reason: "ScalingDown",
            message: "Stopping the site's pods",
          }
        : { type: "Progressing", status: "False", reason: "AccountSuspended", message },
      { type: "Degraded", status: "False", reason: "AsExpected", message: "" },
    ],
  };
}
