/**
 * What is wrong with a site's pods or its install Job, read from the objects the informers hold:
 * pure functions of those objects and the time, so every case is unit-tested from fixtures.
 * A fault names where its evidence is (a container's log, or the kubelet's or scheduler's own
 * words); the reconciler fetches it once, when the fault first appears.
 */
import type { V1ContainerStatus, V1Job, V1Pod } from "@kubernetes/client-node";
import { INSTALL_RUN_LIMIT_SECONDS } from "@/lib/k8s/manifests/install-job";

export type FaultReason =
  | "ImagePullFailed"
  | "ContainerStartFailed"
  | "CrashLoop"
  | "NotReady"
  | "Unschedulable"
  | "InstallFailed";

export type Evidence =
  /** The last lines of a container's log; `previous` for the run before a restart. */
  | { kind: "log"; pod: string; container: string; previous: boolean }
  /** Words Kubernetes already has (a kubelet or scheduler message): no API call needed. */
  | { kind: "text"; label: string; text: string };

export interface Fault {
  reason: FaultReason;
  /** Stable while the fault lasts (no counters or times): a new message means a new fault. */
  message: string;
  evidence: Evidence[];
}

export interface PodCheck {
  fault?: Fault;
  /** No fault yet, but one may be declared then (a pod not Ready yet): look again after this long. */
  recheckAfterMs?: number;
}

/** A pod that is running but not Ready for this long is declared NotReady. */
export const NOT_READY_AFTER_MS = 3 * 60_000;
/** A pod the scheduler cannot place for this long is declared Unschedulable. */
export const UNSCHEDULABLE_AFTER_MS = 60_000;
/** Restarts after which a container that is momentarily running still counts as crash-looping. */
export const CRASH_LOOP_RESTARTS = 3;
/**
 * How long an install Job may go without a pod before the reconciler asks the API server why (a
 * FailedCreate event: the quota refused it). The Job controller creates the pod within moments;
 * asking sooner would cost every new site's passes an API call for nothing.
 */
export const INSTALL_POD_GRACE_MS = 5_000;
/** An install whose first pod started this long ago and has not finished has failed. */
export const INSTALL_RUN_LIMIT_MS = INSTALL_RUN_LIMIT_SECONDS * 1000;

/** 0 when an install Job without a pod has waited long enough to look for why; else the ms left. */
export function installPodCheckInMs(job: Pick<V1Job, "metadata">, now: Date): number {
  const created = timeOf(job.metadata?.creationTimestamp);
  if (created === undefined) return 0;
  return Math.max(0, created + INSTALL_POD_GRACE_MS - now.getTime());
}

const IMAGE_PULL_REASONS = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "ErrImageNeverPull",
  "InvalidImageName",
  "RegistryUnavailable",
]);
const START_FAILED_REASONS = new Set([
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
  "PreCreateHookError",
  "PostStartHookError",
]);
/** How a container that never ran its command ends (e.g. the command is not in the image). */
const START_FAILED_EXIT_REASONS = new Set(["StartError", "ContainerCannotRun"]);

/**
 * Informer objects mix parsed Dates (from list) and RFC 3339 strings (from watch events): both are
 * accepted. Undefined when absent or unreadable.
 */
export function timeOf(value: Date | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function containerStatuses(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? "?";
}

function kubeletWords(reason: string | undefined, message: string | undefined): string {
  return [reason, message].filter(Boolean).join(": ") || "no message";
}

function imagePullFault(pod: V1Pod, cs: V1ContainerStatus): Fault | undefined {
  const waiting = cs.state?.waiting;
  if (!waiting?.reason || !IMAGE_PULL_REASONS.has(waiting.reason)) return undefined;
  return {
    reason: "ImagePullFailed",
    message: `Container "${cs.name}" of pod ${podName(pod)} cannot start: its image ${cs.image} could not be pulled.`,
    evidence: [{ kind: "text", label: "kubelet", text: kubeletWords(waiting.reason, waiting.message) }],
  };
}

function startFault(pod: V1Pod, cs: V1ContainerStatus): Fault | undefined {
  const waiting = cs.state?.waiting;
  const message = `Container "${cs.name}" of pod ${podName(pod)} cannot start.`;
  if (waiting?.reason && START_FAILED_REASONS.has(waiting.reason)) {
    return {
      reason: "ContainerStartFailed",
      message,
      evidence: [{ kind: "text", label: "kubelet", text: kubeletWords(waiting.reason, waiting.message) }],
    };
  }
  const ended = cs.state?.terminated ?? cs.lastState?.terminated;
  if (ended?.reason && START_FAILED_EXIT_REASONS.has(ended.reason)) {
    return {
      reason: "ContainerStartFailed",
      message,
      evidence: [{ kind: "text", label: "kubelet", text: kubeletWords(ended.reason, ended.message) }],
    };
  }
  return undefined;
}

function describeExit(cs: V1ContainerStatus): string {
  const last = cs.lastState?.terminated;
  if (!last) return "";
  if (last.reason === "OOMKilled") return " (it ran out of memory and was killed at its limit)";
  return ` (last exit code ${last.exitCode})`;
}

function crashLoopFault(pod: V1Pod, cs: V1ContainerStatus): Fault | undefined {
  const backingOff = cs.state?.waiting?.reason === "CrashLoopBackOff";
  // Between two back-offs the container runs for a moment: still the same crash loop.
  const restarting = cs.restartCount >= CRASH_LOOP_RESTARTS && cs.lastState?.terminated && !cs.ready;
  if (!backingOff && !restarting) return undefined;
  return {
    reason: "CrashLoop",
    message: `Container "${cs.name}" of pod ${podName(pod)} keeps exiting and being restarted${describeExit(cs)}.`,
    evidence: [{ kind: "log", pod: podName(pod), container: cs.name, previous: true }],
  };
}

function scheduling(pod: V1Pod, now: Date): PodCheck {
  const unschedulable = pod.status?.conditions?.find(
    (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
  );
  if (!unschedulable) return {};
  const since = timeOf(unschedulable.lastTransitionTime) ?? timeOf(pod.metadata?.creationTimestamp);
  const elapsed = since === undefined ? 0 : now.getTime() - since;
  if (elapsed < UNSCHEDULABLE_AFTER_MS) return { recheckAfterMs: UNSCHEDULABLE_AFTER_MS - elapsed };
  return {
    fault: {
      reason: "Unschedulable",
      message: `Pod ${podName(pod)} cannot be placed on any node.`,
      evidence: [{ kind: "text", label: "scheduler", text: unschedulable.message ?? "no message" }],
    },
  };
}

function readiness(pod: V1Pod, now: Date): PodCheck {
  if (pod.status?.phase !== "Running") return {};
  const statuses = pod.status.containerStatuses ?? [];
  const waiting = statuses.filter((cs) => cs.state?.running && !cs.ready);
  if (waiting.length === 0) return {};
  const started = Math.max(...waiting.map((cs) => timeOf(cs.state?.running?.startedAt) ?? now.getTime()));
  const elapsed = now.getTime() - started;
  if (elapsed < NOT_READY_AFTER_MS) return { recheckAfterMs: NOT_READY_AFTER_MS - elapsed };
  const minutes = Math.round(NOT_READY_AFTER_MS / 60_000);
  return {
    fault: {
      reason: "NotReady",
      message: `Pod ${podName(pod)} has been running for more than ${minutes} minutes without passing its readiness check (an HTTP request through nginx to PHP).`,
      // The probe goes through every container of the pod: any of them may say why.
      evidence: statuses.map((cs) => ({
        kind: "log",
        pod: podName(pod),
        container: cs.name,
        previous: false,
      })),
    },
  };
}

/**
 * The worst thing wrong with one pod, most fundamental first: an image that cannot be pulled, a
 * container that cannot start, one that keeps crashing, a pod nowhere to run, a probe that never
 * passes. A terminating pod is nobody's concern any more: callers leave it out.
 */
export function podFault(pod: V1Pod, now: Date): PodCheck {
  const statuses = containerStatuses(pod);
  for (const check of [imagePullFault, startFault, crashLoopFault]) {
    for (const cs of statuses) {
      const fault = check(pod, cs);
      if (fault) return { fault };
    }
  }
  const placed = scheduling(pod, now);
  if (placed.fault) return placed;
  const ready = readiness(pod, now);
  if (ready.fault) return ready;
  const rechecks = [placed.recheckAfterMs, ready.recheckAfterMs].filter((v) => v !== undefined);
  return rechecks.length > 0 ? { recheckAfterMs: Math.min(...rechecks) } : {};
}

/** The first fault among pods (oldest first, so the message stays with one pod), and the soonest recheck. */
export function podsFault(pods: V1Pod[], now: Date): PodCheck {
  const live = pods
    .filter((p) => !p.metadata?.deletionTimestamp)
    .sort(
      (a, b) => (timeOf(a.metadata?.creationTimestamp) ?? 0) - (timeOf(b.metadata?.creationTimestamp) ?? 0),
    );
  let recheckAfterMs: number | undefined;
  for (const pod of live) {
    const check = podFault(pod, now);
    if (check.fault) return check;
    if (check.recheckAfterMs !== undefined)
      recheckAfterMs = Math.min(recheckAfterMs ?? Number.POSITIVE_INFINITY, check.recheckAfterMs);
  }
  return recheckAfterMs === undefined ? {} : { recheckAfterMs };
}

export type InstallState =
  /** No Job in the cache yet (just applied, or not yet). */
  | { state: "pending" }
  | { state: "running"; fault?: Fault; recheckAfterMs?: number }
  | { state: "succeeded" }
  | { state: "failed"; fault: Fault; failedAt?: number };

function jobCondition(job: V1Job, type: string) {
  return job.status?.conditions?.find((c) => c.type === type && c.status === "True");
}

/**
 * Whether an install Job succeeded: Complete, or one of its pods (`own`, podsOfJob) exited 0 and
 * the Job controller has yet to say so (one completion: the Job will be Complete; on a busy
 * cluster it said so more than ten minutes later, past the install's run limit).
 */
export function installJobSucceeded(job: V1Job, own: readonly V1Pod[]): boolean {
  return jobCondition(job, "Complete") !== undefined || own.some((p) => p.status?.phase === "Succeeded");
}

/** The pods a Job made, newest first. */
export function podsOfJob(job: V1Job, pods: V1Pod[]): V1Pod[] {
  const uid = job.metadata?.uid;
  const name = job.metadata?.name;
  return pods
    .filter((p) =>
      (p.metadata?.ownerReferences ?? []).some(
        (o) => o.kind === "Job" && (uid ? o.uid === uid : o.name === name),
      ),
    )
    .sort(
      (a, b) => (timeOf(b.metadata?.creationTimestamp) ?? 0) - (timeOf(a.metadata?.creationTimestamp) ?? 0),
    );
}

/**
 * Where the install Job stands. A failed Job's evidence is its newest pod's log; a running one
 * whose pod cannot even start (an image that is not there) is a fault already, not a long wait
 * for the Job's deadline.
 */
export function installJobState(
  job: V1Job | undefined,
  pods: V1Pod[],
  container: string,
  now: Date,
): InstallState {
  if (!job?.metadata?.name) return { state: "pending" };
  const name = job.metadata.name;
  const own = podsOfJob(job, pods);
  if (installJobSucceeded(job, own)) return { state: "succeeded" };
  // The newest pod's log tells why an install failed; without a pod, say where the log went.
  const newestPod = own[0]?.metadata?.name;
  const evidence: Evidence[] = newestPod
    ? [{ kind: "log", pod: newestPod, container, previous: false }]
    : [{ kind: "text", label: "job", text: "The Job's pods are gone, and their logs with them." }];
  const failed = jobCondition(job, "Failed");
  if (failed) {
    const why = [failed.reason, failed.message].filter(Boolean).join(": ");
    return {
      state: "failed",
      failedAt: timeOf(failed.lastTransitionTime),
      fault: {
        reason: "InstallFailed",
        message: `Installing WordPress failed (Job ${name}${why ? `, ${why}` : ""}).`,
        evidence,
      },
    };
  }
  // The run's time counts from the first of the Job's pods a kubelet started, across its retries:
  // waiting for a node or a volume is not running.
  const starts = own.map((p) => timeOf(p.status?.startTime)).filter((t) => t !== undefined);
  const started = starts.length > 0 ? Math.min(...starts) : undefined;
  if (started !== undefined && now.getTime() - started >= INSTALL_RUN_LIMIT_MS) {
    const minutes = Math.round(INSTALL_RUN_LIMIT_MS / 60_000);
    return {
      state: "failed",
      failedAt: started + INSTALL_RUN_LIMIT_MS,
      fault: {
        reason: "InstallFailed",
        message: `Installing WordPress did not finish within ${minutes} minutes of starting (Job ${name}).`,
        evidence,
      },
    };
  }
  const newest = own.filter((p) => !p.metadata?.deletionTimestamp).slice(0, 1);
  const check = podsFault(newest, now);
  // A pod of a Job has no readiness probe; only faults that stop it from running matter here.
  if (check.fault && check.fault.reason !== "NotReady" && check.fault.reason !== "CrashLoop") {
    return { state: "running", fault: check.fault };
  }
  const rechecks = [
    check.recheckAfterMs,
    started === undefined ? undefined : started + INSTALL_RUN_LIMIT_MS - now.getTime(),
  ].filter((v) => v !== undefined);
  return rechecks.length === 0
    ? { state: "running" }
    : { state: "running", recheckAfterMs: Math.min(...rechecks) };
}

/** A failed install is tried again as a new Job after this long: 2, 4, 8 ... minutes, at most an hour. */
export function installRetryDelayMs(generation: number): number {
  return Math.min(2 * 60_000 * 2 ** Math.max(0, generation - 1), 60 * 60_000);
}

export const LOG_TAIL_LINES = 20;
export const LOG_LINE_MAX_CHARS = 300;
export const LOG_MAX_CHARS = 8_000;
/** Asked of the API server per container, so a log of huge lines is never read whole. */
export const LOG_LIMIT_BYTES = 16_384;
const REDACTED = "[redacted]";

/**
 * Replaces every secret value found in `text`. Values shorter than 6 characters are left alone:
 * they would blank out ordinary words, and no generated secret is that short.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const values = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.split(value).join(REDACTED);
  return out;
}

/** The last `lines` lines, each cut to a readable length, without a trailing empty line. */
export function lastLines(text: string, lines = LOG_TAIL_LINES): string[] {
  const all = text.replace(/\r\n/g, "\n").split("\n");
  if (all.at(-1) === "") all.pop();
  return all
    .slice(-lines)
    .map((line) => (line.length > LOG_LINE_MAX_CHARS ? `${line.slice(0, LOG_LINE_MAX_CHARS)}…` : line));
}

export interface EvidenceSection {
  /** e.g. "container php (previous run)" or "kubelet". */
  title: string;
  text: string;
}

/**
 * The log shown with a Degraded condition: each source under a `==> title <==` line, redacted,
 * its last lines only, the whole cut to LOG_MAX_CHARS from the start (the newest lines stay).
 */
export function formatEvidence(sections: EvidenceSection[], secrets: readonly string[]): string {
  const parts = sections.map((s) => {
    const body = lastLines(redact(s.text, secrets));
    return [`==> ${s.title} <==`, ...(body.length > 0 ? body : ["(no output)"])].join("\n");
  });
  const joined = parts.join("\n\n");
  return joined.length > LOG_MAX_CHARS ? `…${joined.slice(joined.length - LOG_MAX_CHARS + 1)}` : joined;
}

export function evidenceTitle(e: Evidence): string {
  if (e.kind === "text") return e.label;
  return `container ${e.container}${e.previous ? " (previous run)" : ""}`;
}
