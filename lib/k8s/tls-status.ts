/**
 * A domain's TLS status, from the statuses cert-manager writes on its Certificate and on the
 * objects one issuance makes (CertificateRequest -> ACME Order -> one Challenge per name).
 * Pure: the reconciler lists the objects, this says what they mean for one hostname; the panel
 * shows the stored result. Nothing here talks to cert-manager or trusts its objects' shape.
 */
import { z } from "zod";

export const TLS_STATES = ["issued", "renewal_due", "pending", "failed"] as const;
export type TlsState = (typeof TLS_STATES)[number];

/** Where a pending issuance stands, in cert-manager's order. */
export const TLS_STEPS = ["certificate", "request", "order", "challenge"] as const;
export type TlsStep = (typeof TLS_STEPS)[number];

export const domainTlsStatusSchema = z.object({
  state: z.enum(TLS_STATES),
  /** cert-manager's reason (a condition's reason, an Order's state, a Challenge's state). */
  reason: z.string().max(200).optional(),
  /** The detail to show, e.g. the Challenge's status.reason (why the HTTP-01 self check fails). */
  message: z.string().max(1000).optional(),
  step: z.enum(TLS_STEPS).optional(),
  /** The Certificate that covers the domain (namespace/name). */
  certificate: z.string().max(320).optional(),
  notAfter: z.string().max(40).optional(),
  renewalTime: z.string().max(40).optional(),
  /** When the reconciler read the objects. */
  observedAt: z.string().max(40),
});
export type DomainTlsStatus = z.infer<typeof domainTlsStatusSchema>;

/** Stored JSON as the view reads it; unreadable counts as not observed yet. */
export function parseDomainTlsStatus(value: unknown): DomainTlsStatus | null {
  const parsed = domainTlsStatusSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The subset of cert-manager objects read here; every field optional, as on a half-written object. */
interface CmCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
interface CmMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string | Date;
  annotations?: Record<string, string>;
  ownerReferences?: { kind?: string; name?: string; uid?: string }[];
}
export interface CmCertificate {
  metadata?: CmMeta;
  spec?: { dnsNames?: string[]; commonName?: string; secretName?: string };
  status?: {
    conditions?: CmCondition[];
    notAfter?: string;
    notBefore?: string;
    renewalTime?: string;
    revision?: number;
    lastFailureTime?: string;
    failedIssuanceAttempts?: number;
  };
}
export interface CmCertificateRequest {
  metadata?: CmMeta;
  status?: { conditions?: CmCondition[]; failureTime?: string };
}
export interface CmOrder {
  metadata?: CmMeta;
  spec?: { dnsNames?: string[] };
  status?: { state?: string; reason?: string; failureTime?: string };
}
export interface CmChallenge {
  metadata?: CmMeta;
  spec?: { dnsName?: string; type?: string };
  status?: { state?: string; reason?: string; processing?: boolean; presented?: boolean };
}

export interface CertManagerObjects {
  certificates: CmCertificate[];
  certificateRequests: CmCertificateRequest[];
  orders: CmOrder[];
  challenges: CmChallenge[];
}

/** cert-manager's annotations on the CertificateRequests of a Certificate. */
export const CERTIFICATE_NAME_ANNOTATION = "cert-manager.io/certificate-name";
export const CERTIFICATE_REVISION_ANNOTATION = "cert-manager.io/certificate-revision";

/** Who makes a domain's Certificate, by routing mode. */
export const NO_CERTIFICATE_MESSAGES = {
  ingress: "No certificate names this domain yet; cert-manager makes one from the site's Ingress shortly.",
  gateway:
    "No certificate names this domain yet. The platform operator gives it an HTTPS listener on the Gateway; cert-manager then issues its certificate.",
} as const;

const FINAL_FAILED_ORDER_STATES = new Set(["invalid", "errored", "expired"]);
const FAILED_CHALLENGE_STATES = new Set(["invalid", "errored", "expired"]);

function condition(conditions: CmCondition[] | undefined, type: string): CmCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

function time(value: string | Date | undefined): number {
  if (value === undefined) return Number.NaN;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

function clip(text: string | undefined, max: number): string | undefined {
  if (!text) return undefined;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function ownedBy(obj: { metadata?: CmMeta }, owner: { metadata?: CmMeta }, kind: string): boolean {
  const uid = owner.metadata?.uid;
  const name = owner.metadata?.name;
  return (obj.metadata?.ownerReferences ?? []).some(
    (ref) => ref.kind === kind && (uid ? ref.uid === uid : ref.name === name),
  );
}

function sameNamespace(a: { metadata?: CmMeta }, b: { metadata?: CmMeta }): boolean {
  return (a.metadata?.namespace ?? "") === (b.metadata?.namespace ?? "");
}

function newest<T extends { metadata?: CmMeta }>(items: T[]): T | undefined {
  return [...items].sort(
    (a, b) => (time(b.metadata?.creationTimestamp) || 0) - (time(a.metadata?.creationTimestamp) || 0),
  )[0];
}

/** Lower-case hostnames the Certificate names (commonName included, as cert-manager does). */
function certificateNames(cert: CmCertificate): string[] {
  const names = [...(cert.spec?.dnsNames ?? []), ...(cert.spec?.commonName ? [cert.spec.commonName] : [])];
  return names.map((n) => n.toLowerCase().replace(/\.$/, ""));
}

/** Whether a Certificate name covers the hostname (exactly, or as a one-level wildcard). */
function covers(name: string, hostname: string): boolean {
  if (name === hostname) return true;
  if (!name.startsWith("*.")) return false;
  const dot = hostname.indexOf(".");
  return dot > 0 && hostname.slice(dot + 1) === name.slice(2);
}

/**
 * The Certificate for the hostname: one naming it exactly before a wildcard, a Ready one before
 * one that is not, then the newest.
 */
export function certificateFor(hostname: string, certificates: CmCertificate[]): CmCertificate | undefined {
  const candidates = certificates.filter((c) => certificateNames(c).some((n) => covers(n, hostname)));
  const score = (c: CmCertificate) =>
    (certificateNames(c).includes(hostname) ? 2 : 0) +
    (condition(c.status?.conditions, "Ready")?.status === "True" ? 1 : 0);
  return [...candidates].sort(
    (a, b) =>
      score(b) - score(a) ||
      (time(b.metadata?.creationTimestamp) || 0) - (time(a.metadata?.creationTimestamp) || 0),
  )[0];
}

/** The CertificateRequest of the Certificate's current issuance (the next revision), if any. */
function currentRequest(
  cert: CmCertificate,
  requests: CmCertificateRequest[],
): CmCertificateRequest | undefined {
  const mine = requests.filter(
    (r) =>
      sameNamespace(r, cert) &&
      (ownedBy(r, cert, "Certificate") ||
        r.metadata?.annotations?.[CERTIFICATE_NAME_ANNOTATION] === cert.metadata?.name),
  );
  const nextRevision = String((cert.status?.revision ?? 0) + 1);
  const ofNext = mine.filter(
    (r) => r.metadata?.annotations?.[CERTIFICATE_REVISION_ANNOTATION] === nextRevision,
  );
  return newest(ofNext.length > 0 ? ofNext : mine);
}

function certificateLabel(cert: CmCertificate): string | undefined {
  const name = cert.metadata?.name;
  if (!name) return undefined;
  return cert.metadata?.namespace ? `${cert.metadata.namespace}/${name}` : name;
}

/**
 * Where the issuance of the hostname's certificate stands while Issuing is True: the deepest
 * object that exists says the most (a Challenge's reason names the failing self check).
 */
function pendingStatus(
  hostname: string,
  cert: CmCertificate,
  objects: CertManagerObjects,
  base: Pick<DomainTlsStatus, "certificate" | "observedAt">,
): DomainTlsStatus {
  const issuing = condition(cert.status?.conditions, "Issuing");
  const request = currentRequest(cert, objects.certificateRequests);
  if (!request) {
    return {
      ...base,
      state: "pending",
      step: "certificate",
      reason: issuing?.reason ?? "Issuing",
      message: clip(issuing?.message ?? "Waiting for cert-manager to request the certificate.", 1000),
    };
  }
  const ready = condition(request.status?.conditions, "Ready");
  const denied = condition(request.status?.conditions, "Denied");
  if (denied?.status === "True") {
    return {
      ...base,
      state: "failed",
      step: "request",
      reason: denied.reason ?? "Denied",
      message: clip(denied.message ?? "The certificate request was denied.", 1000),
    };
  }
  if (ready?.status === "False" && (ready.reason === "Failed" || ready.reason === "Denied")) {
    return {
      ...base,
      state: "failed",
      step: "request",
      reason: ready.reason,
      message: clip(ready.message, 1000),
    };
  }
  const order = newest(
    objects.orders.filter((o) => sameNamespace(o, request) && ownedBy(o, request, "CertificateRequest")),
  );
  if (!order) {
    return {
      ...base,
      state: "pending",
      step: "request",
      reason: ready?.reason ?? "Pending",
      message: clip(ready?.message ?? "Waiting for the issuer to handle the certificate request.", 1000),
    };
  }
  const challenge = newest(
    objects.challenges.filter(
      (c) =>
        sameNamespace(c, order) && ownedBy(c, order, "Order") && c.spec?.dnsName?.toLowerCase() === hostname,
    ),
  );
  const orderState = order.status?.state;
  if (challenge) {
    const state = challenge.status?.state;
    if (state && FAILED_CHALLENGE_STATES.has(state)) {
      return {
        ...base,
        state: "failed",
        step: "challenge",
        reason: `${challenge.spec?.type ?? "ACME"} challenge ${state}`,
        message: clip(challenge.status?.reason ?? order.status?.reason, 1000),
      };
    }
    if (state !== "valid") {
      return {
        ...base,
        state: "pending",
        step: "challenge",
        reason: `${challenge.spec?.type ?? "ACME"} challenge ${state || "pending"}`,
        message: clip(
          challenge.status?.reason ||
            (challenge.status?.presented
              ? "The challenge is presented; waiting for the CA to check it."
              : "Presenting the challenge."),
          1000,
        ),
      };
    }
  }
  if (orderState && FINAL_FAILED_ORDER_STATES.has(orderState)) {
    return {
      ...base,
      state: "failed",
      step: "order",
      reason: `Order ${orderState}`,
      message: clip(order.status?.reason, 1000),
    };
  }
  return {
    ...base,
    state: "pending",
    step: "order",
    reason: `Order ${orderState || "pending"}`,
    message: clip(order.status?.reason || "Waiting for the ACME order to complete.", 1000),
  };
}

/**
 * The TLS status of `hostname` (punycode, lower-case) from the cert-manager objects of its
 * namespace(s), at `now`:
 * - no Certificate names it: pending at step "certificate" (cert-manager has not made one yet);
 * - Ready True: issued, or renewal_due once status.renewalTime has passed (cert-manager renews
 *   then; a renewal that stays due means it is failing), with notAfter;
 * - Ready not True with Issuing True: pending at the deepest step that exists, or failed when that
 *   step failed (a denied request, an invalid Order or Challenge);
 * - Ready not True and not issuing: failed with Issuing's reason (cert-manager backs off after a
 *   failed issuance: Issuing False, reason Failed) or Ready's (Expired, ...).
 */
export function domainTlsStatus(
  hostname: string,
  objects: CertManagerObjects,
  now: Date,
  /** Who makes the Certificate in this platform's routing mode, said while there is none. */
  noCertificateMessage: string = NO_CERTIFICATE_MESSAGES.ingress,
): DomainTlsStatus {
  const observedAt = now.toISOString();
  const cert = certificateFor(hostname, objects.certificates);
  if (!cert) {
    return {
      state: "pending",
      step: "certificate",
      reason: "NoCertificate",
      message: noCertificateMessage,
      observedAt,
    };
  }
  const base = { certificate: certificateLabel(cert), observedAt };
  const times = {
    ...(cert.status?.notAfter ? { notAfter: cert.status.notAfter } : {}),
    ...(cert.status?.renewalTime ? { renewalTime: cert.status.renewalTime } : {}),
  };
  const ready = condition(cert.status?.conditions, "Ready");
  const issuing = condition(cert.status?.conditions, "Issuing");
  const notAfter = time(cert.status?.notAfter);
  const expired = !Number.isNaN(notAfter) && notAfter <= now.getTime();

  if (ready?.status === "True" && !expired) {
    const renewal = time(cert.status?.renewalTime);
    if (!Number.isNaN(renewal) && renewal <= now.getTime()) {
      // Renewal in flight or failing: say which, with the certificate still valid until notAfter.
      const detail =
        issuing?.status === "True"
          ? pendingStatus(hostname, cert, objects, base)
          : issuing?.status === "False"
            ? { reason: issuing.reason, message: clip(issuing.message, 1000) }
            : { reason: "RenewalDue", message: undefined };
      return {
        ...base,
        ...times,
        state: "renewal_due",
        ...(detail.reason ? { reason: detail.reason } : {}),
        ...(detail.message ? { message: detail.message } : {}),
        ...("step" in detail && detail.step ? { step: detail.step } : {}),
      };
    }
    return { ...base, ...times, state: "issued", reason: ready.reason ?? "Ready" };
  }
  if (issuing?.status === "True") return { ...pendingStatus(hostname, cert, objects, base), ...times };
  if (issuing?.status === "False" && issuing.reason === "Failed") {
    return {
      ...base,
      ...times,
      state: "failed",
      step: "certificate",
      reason: "Failed",
      message: clip(issuing.message, 1000),
    };
  }
  if (expired) {
    return {
      ...base,
      ...times,
      state: "failed",
      step: "certificate",
      reason: "Expired",
      message: clip(ready?.message ?? `The certificate expired at ${cert.status?.notAfter}.`, 1000),
    };
  }
  if (ready?.status === "False") {
    return {
      ...base,
      ...times,
      state: "pending",
      step: "certificate",
      reason: ready.reason ?? "NotReady",
      message: clip(ready.message, 1000),
    };
  }
  return {
    ...base,
    ...times,
    state: "pending",
    step: "certificate",
    reason: "NotObserved",
    message: "cert-manager has not reported on the certificate yet.",
  };
}

/** Equal statuses apart from when they were observed: no write needed. */
export function sameTlsStatus(a: DomainTlsStatus | null, b: DomainTlsStatus | null): boolean {
  if (a === null || b === null) return a === b;
  const { observedAt: _a, ...restA } = a;
  const { observedAt: _b, ...restB } = b;
  return (
    JSON.stringify(restA, Object.keys(restA).sort()) === JSON.stringify(restB, Object.keys(restB).sort())
  );
}

/** How long a domain's issued certificate is taken as it was last seen before looking again. */
export const ISSUED_RECHECK_MS = 60 * 60 * 1000;

/**
 * Whether the site's domains need cert-manager's objects read again: some domain has no status
 * yet, one is not issued, or an issued one was seen more than ISSUED_RECHECK_MS ago or reaches
 * its renewal time or expiry. In steady state (all issued, seen lately) a pass reads nothing.
 */
export function tlsCheckDue(stored: readonly unknown[], now: Date): boolean {
  return stored.some((value) => {
    const status = parseDomainTlsStatus(value);
    if (status?.state !== "issued") return true;
    const t = now.getTime();
    const seen = Date.parse(status.observedAt);
    const renewal = status.renewalTime ? Date.parse(status.renewalTime) : Number.POSITIVE_INFINITY;
    const expiry = status.notAfter ? Date.parse(status.notAfter) : Number.POSITIVE_INFINITY;
    return !(t - seen < ISSUED_RECHECK_MS) || !(renewal > t) || !(expiry > t);
  });
}
