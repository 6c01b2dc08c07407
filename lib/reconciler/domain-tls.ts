/**
 * Each domain's TLS status, observed from cert-manager's objects and stored on the Domain row.
 * cert-manager is not watched by the informers (its objects carry no Sitepod label, and many
 * clusters have none): the objects are listed live in the namespaces where a site's certificates
 * can be (the tenant's, where ingress-shim makes them; the Gateway's, where gateway-shim does), and
 * the site is looked at again while an issuance is under way.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Prisma } from "@/lib/generated/prisma/client";
import { apiErrorMessage, isKindNotServed } from "@/lib/k8s/errors";
import { accountNamespace } from "@/lib/k8s/manifests/labels";
import {
  type CertManagerObjects,
  type DomainTlsStatus,
  domainTlsStatus,
  NO_CERTIFICATE_MESSAGES,
  parseDomainTlsStatus,
  sameTlsStatus,
  tlsCheckDue,
} from "@/lib/k8s/tls-status";
import { appendSiteStatus } from "@/lib/services/change-log/append-change";
import type { ReconcileContext } from "./context";
import type { SiteForReconcile } from "./site-spec";

const KINDS = {
  certificates: ["cert-manager.io/v1", "Certificate"],
  certificateRequests: ["cert-manager.io/v1", "CertificateRequest"],
  orders: ["acme.cert-manager.io/v1", "Order"],
  challenges: ["acme.cert-manager.io/v1", "Challenge"],
} as const satisfies Record<keyof CertManagerObjects, readonly [string, string]>;

/** While an issuance is under way nothing wakes the site: look again this often. */
export const TLS_RECHECK_MS = 60_000;
/** In ingress mode, how soon a domain without a Certificate yet is looked at again. */
export const NO_CERTIFICATE_RECHECK_MS = 10_000;

export interface DomainTlsOutcome {
  /** Some domain's status changed (stored, with a change row). */
  changed: boolean;
  /** The set of domains with a certificate changed: the routes must be rendered again. */
  httpsChanged: boolean;
  recheckAfterMs?: number;
}

async function listKind(
  ctx: ReconcileContext,
  apiVersion: string,
  kind: string,
  namespaces: string[],
): Promise<KubernetesObject[]> {
  const listNamespaced = ctx.writer.listNamespaced;
  if (!listNamespaced) return [];
  const lists = await Promise.all(
    namespaces.map(async (namespace) => {
      try {
        return await listNamespaced(apiVersion, kind, namespace);
      } catch (err) {
        // No cert-manager CRDs (or no ACME ones): no objects of the kind.
        if (isKindNotServed(err)) return [];
        throw err;
      }
    }),
  );
  return lists.flat();
}

export async function readCertManagerObjects(
  ctx: ReconcileContext,
  namespaces: string[],
): Promise<CertManagerObjects> {
  const entries = await Promise.all(
    Object.entries(KINDS).map(
      async ([key, [apiVersion, kind]]) => [key, await listKind(ctx, apiVersion, kind, namespaces)] as const,
    ),
  );
  return Object.fromEntries(entries) as unknown as CertManagerObjects;
}

/**
 * How soon to look again: an issuance under way moves on its own within minutes. In ingress mode
 * a domain without a Certificate is about to get one (cert-manager makes it from the site's
 * Ingress within seconds), so look again sooner. In gateway mode it waits for the operator, and a
 * failed one for cert-manager's backoff (an hour and more): the periodic resync looks at those.
 */
function recheckAfter(status: DomainTlsStatus, routing: "ingress" | "gateway"): number | undefined {
  if (status.state === "pending" && status.reason === "NoCertificate") {
    return routing === "ingress" ? NO_CERTIFICATE_RECHECK_MS : undefined;
  }
  return status.state === "pending" || status.state === "renewal_due" ? TLS_RECHECK_MS : undefined;
}

function certified(status: DomainTlsStatus | null): boolean {
  return status?.state === "issued" || status?.state === "renewal_due";
}

/**
 * Observes and stores every domain's TLS status (only with a ClusterIssuer configured: without
 * one the panel says TLS is not set up and nothing is read). A failing read is logged and leaves
 * the stored statuses as they are: TLS status never fails a site's reconcile.
 */
export async function observeDomainTls(
  ctx: ReconcileContext,
  site: SiteForReconcile,
): Promise<DomainTlsOutcome> {
  if (!ctx.settings.clusterIssuer || !ctx.writer.listNamespaced || site.domains.length === 0) {
    return { changed: false, httpsChanged: false };
  }
  if (
    !tlsCheckDue(
      site.domains.map((d) => d.tlsStatus),
      ctx.now(),
    )
  ) {
    return { changed: false, httpsChanged: false };
  }
  const namespaces = [accountNamespace(site.account.slug)];
  if (ctx.settings.routing === "gateway" && ctx.settings.gateway.namespace !== namespaces[0]) {
    namespaces.push(ctx.settings.gateway.namespace);
  }
  let objects: CertManagerObjects;
  try {
    objects = await readCertManagerObjects(ctx, namespaces);
  } catch (err) {
    ctx.log.warn("tls status not read", { siteId: site.id, error: apiErrorMessage(err).slice(0, 300) });
    return { changed: false, httpsChanged: false, recheckAfterMs: TLS_RECHECK_MS };
  }
  const now = ctx.now();
  const updates: { id: string; hostname: string; status: DomainTlsStatus }[] = [];
  let httpsChanged = false;
  const rechecks: number[] = [];
  for (const domain of site.domains) {
    const status = domainTlsStatus(
      domain.hostname,
      objects,
      now,
      NO_CERTIFICATE_MESSAGES[ctx.settings.routing],
    );
    const stored = parseDomainTlsStatus(domain.tlsStatus);
    const recheck = recheckAfter(status, ctx.settings.routing);
    if (recheck !== undefined) rechecks.push(recheck);
    if (sameTlsStatus(stored, status)) continue;
    updates.push({ id: domain.id, hostname: domain.hostname, status });
    if (certified(stored) !== certified(status)) httpsChanged = true;
  }
  if (updates.length > 0) {
    await ctx.prisma.$transaction(async (tx) => {
      for (const u of updates) {
        await tx.domain.updateMany({
          where: { id: u.id, siteId: site.id },
          data: { tlsStatus: u.status as unknown as Prisma.InputJsonObject },
        });
      }
      await appendSiteStatus(tx, site, {
        name: site.name,
        tls: Object.fromEntries(updates.map((u) => [u.hostname, u.status.state])),
      });
    });
    ctx.log.info("domain tls status", {
      siteId: site.id,
      domains: Object.fromEntries(updates.map((u) => [u.hostname, u.status.state])),
    });
  }
  return {
    changed: updates.length > 0,
    httpsChanged,
    ...(rechecks.length > 0 ? { recheckAfterMs: Math.min(...rechecks) } : {}),
  };
}
