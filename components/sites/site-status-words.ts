/**
 * A site's status as its owner would say it: one headline per phase, what is happening, where
 * visitors reach the site and what to do. Pure, so that it is tested without rendering.
 */
import type { BadgeTone } from "@/components/ui/badge";
import type { SiteJson } from "@/lib/api/json";

/** What the DNS check said about the primary domain; "unknown" until it answered. */
export type PrimaryDnsState = "points_here" | "points_elsewhere" | "not_found" | "lookup_failed" | "unknown";

export interface StatusWords {
  tone: BadgeTone;
  headline: string;
  /** What is happening now, or why; null when the headline says it all. */
  detail: string | null;
  /**
   * Where visitors reach the site: at the platform hostname right away; at the primary domain
   * (`domain`) when its DNS points here (`domainLive`), else once it does. Null when the site
   * serves nobody (being set up, suspended, deleted, failing).
   */
  reach: { platformHostname: string; domain: string | null; domainLive: boolean } | null;
  /** What the owner can do about it; null when nothing is needed. */
  next: string | null;
  /** Degraded: the fault card (components/sites/site-fault.tsx) explains; link to it. */
  seeFault: boolean;
}

type SiteForWords = Pick<
  SiteJson,
  "phase" | "conditions" | "generation" | "observedGeneration" | "primaryDomain" | "platformHostname"
>;

/** A condition's message as a sentence (the reconciler writes some without the full stop). */
function sentence(message: string | undefined): string | null {
  const text = message?.trim();
  if (!text) return null;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const condition = (site: SiteForWords, type: string) => site.conditions.find((c) => c.type === type);

export function siteStatusWords(site: SiteForWords, primaryDns: PrimaryDnsState = "unknown"): StatusWords {
  const base = { detail: null, reach: null, next: null, seeFault: false };
  switch (site.phase) {
    case "RUNNING":
      return {
        ...base,
        tone: "success",
        headline: "Your site is live",
        detail: site.observedGeneration < site.generation ? "Your latest change is being applied." : null,
        reach: {
          platformHostname: site.platformHostname,
          domain: site.primaryDomain,
          domainLive: site.primaryDomain !== null && primaryDns === "points_here",
        },
      };
    case "PROVISIONING": {
      // Progressing says what the reconciler waits for (the volume, the install, the pod);
      // before its first pass only Ready exists, saying the same.
      const progressing = condition(site, "Progressing");
      const step =
        sentence(progressing?.status === "True" ? progressing.message : undefined) ??
        sentence(condition(site, "Ready")?.message) ??
        "Waiting for the platform to start on it.";
      return {
        ...base,
        tone: "info",
        // A site that was changed since it was created is most likely live already and rolling out.
        headline: site.generation > 1 ? "Your changes are being applied" : "Your site is being set up",
        detail: `Now: ${step}`,
        next: "This page updates by itself when it is done.",
      };
    }
    case "DEGRADED": {
      const fault = condition(site, "Degraded");
      const hasFaultCard = fault?.status === "True";
      return {
        ...base,
        tone: "warning",
        headline: "Your site has a problem",
        detail: hasFaultCard
          ? "Something keeps it from working as it should."
          : (sentence(condition(site, "Ready")?.message) ?? "Something keeps it from working as it should."),
        seeFault: hasFaultCard,
      };
    }
    case "SUSPENDED": {
      const ready = condition(site, "Ready");
      const why =
        ready?.reason === "AccountSuspended"
          ? (sentence(ready.message) ?? "The account is suspended.")
          : "The account it belongs to is suspended.";
      return {
        ...base,
        tone: "neutral",
        headline: "Your site is suspended",
        detail: `${why} Visitors see a page saying the site is temporarily unavailable; its files and data are kept.`,
        next: "To bring it back, the account's hosting provider has to lift the suspension.",
      };
    }
    case "DELETING":
      return {
        ...base,
        tone: "danger",
        headline: "Your site is being deleted",
        detail: "Its files, its domains and everything the platform ran for it are being removed.",
      };
  }
}
