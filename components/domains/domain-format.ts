/**
 * What the Domains card says about a domain, as pure functions (unit-tested): the TLS badge and its
 * detail, the plan usage line and the hostname in its two spellings.
 */
import type { BadgeTone } from "@/components/ui/badge";
import type { DomainJson, SiteDomainsJson } from "@/lib/api/json";

export interface TlsPresentation {
  tone: BadgeTone;
  label: string;
  /** One or two sentences: what is happening and, where someone must act, who and how. */
  detail: string;
}

const STEP_LABELS: Record<string, string> = {
  certificate: "waiting for the certificate",
  request: "certificate requested",
  order: "validating the domain",
  challenge: "domain check",
};

function day(iso: string | undefined): string {
  if (!iso) return "an unknown date";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

export function tlsPresentation(tls: DomainJson["tls"]): TlsPresentation {
  switch (tls.state) {
    case "not_configured":
      return {
        tone: "neutral",
        label: "No TLS",
        detail:
          "TLS is not set up on this platform: the site is served over plain HTTP. The platform operator must install cert-manager with a ClusterIssuer and name it in SITEPOD_CLUSTER_ISSUER.",
      };
    case "unknown":
      return { tone: "neutral", label: "Checking", detail: tls.message };
    case "issued":
      return { tone: "success", label: "Secure", detail: `Certificate valid until ${day(tls.notAfter)}.` };
    case "renewal_due":
      return {
        tone: "warning",
        label: "Renewal due",
        detail: `The certificate should have been renewed on ${day(tls.renewalTime)} and expires on ${day(tls.notAfter)}.${tls.message ? ` ${tls.message}` : ""}`,
      };
    case "pending":
      return {
        tone: "info",
        label: tls.step === "challenge" ? "Checking domain" : "Issuing",
        detail: `${tls.step ? `${capitalise(STEP_LABELS[tls.step] ?? tls.step)}: ` : ""}${tls.message ?? tls.reason ?? "in progress"}${tls.step === "challenge" ? " Make sure the domain's DNS points to this platform." : ""}`,
      };
    case "failed":
      return {
        tone: "danger",
        label: "TLS failed",
        detail: `${tls.reason ? `${tls.reason}: ` : ""}${tls.message ?? "cert-manager could not issue the certificate."} cert-manager retries on its own; check the domain's DNS.`,
      };
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "3 of 5 domains" (the account's, every site counted), or "3 domains" without a limit. */
export function domainUsage(usage: SiteDomainsJson["usage"]): string {
  const noun = (n: number) => (n === 1 ? "domain" : "domains");
  return usage.limit === null
    ? `${usage.used} ${noun(usage.used)}`
    : `${usage.used} of ${usage.limit} ${noun(usage.limit)}`;
}

/** The plan leaves room for `count` more domains. */
export function hasRoomFor(usage: SiteDomainsJson["usage"], count: number): boolean {
  return usage.limit === null || usage.used + count <= usage.limit;
}

/** The punycode form, shown under the unicode one only when they differ. */
export function punycodeHint(domain: Pick<DomainJson, "hostname" | "unicodeHostname">): string | null {
  return domain.unicodeHostname !== domain.hostname ? domain.hostname : null;
}
