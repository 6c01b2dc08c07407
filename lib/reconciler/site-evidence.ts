/**
 * The evidence shown with a site's Degraded condition: fetched once, when the fault appears (the
 * reconciler keeps the stored one while the same fault lasts), bounded, and with the site's
 * secrets redacted.
 */
import { accountNamespace } from "@/lib/k8s/manifests/labels";
import type { SiteManifestSpec } from "@/lib/k8s/manifests/types";
import type { ReconcileContext } from "./context";
import {
  type EvidenceSection,
  evidenceTitle,
  type Fault,
  formatEvidence,
  LOG_LIMIT_BYTES,
  LOG_TAIL_LINES,
} from "./site-faults";

/** Every secret value of the site, to be redacted from logs shown to its owner. */
export function secretValues(spec: SiteManifestSpec): string[] {
  return [
    spec.database.password,
    ...Object.values(spec.salts),
    ...(spec.wordpress?.adminPassword ? [spec.wordpress.adminPassword] : []),
  ];
}

/**
 * The last lines of each log the fault names (one API call per container, bounded in lines and
 * bytes) and the Kubernetes messages it carries, as one text.
 */
export async function collectEvidence(
  ctx: Pick<ReconcileContext, "logs" | "log">,
  spec: SiteManifestSpec,
  fault: Fault,
): Promise<string> {
  const namespace = accountNamespace(spec.accountSlug);
  const sections: EvidenceSection[] = [];
  for (const e of fault.evidence) {
    const text =
      e.kind === "text"
        ? e.text
        : await ctx.logs.tail(
            { namespace, pod: e.pod, container: e.container, previous: e.previous },
            { lines: LOG_TAIL_LINES, bytes: LOG_LIMIT_BYTES },
          );
    sections.push({ title: evidenceTitle(e), text });
  }
  ctx.log.info("site fault", { siteId: spec.siteId, reason: fault.reason, message: fault.message });
  return formatEvidence(sections, secretValues(spec));
}
