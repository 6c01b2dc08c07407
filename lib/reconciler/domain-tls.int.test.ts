/**
 * observeDomainTls against the real database, with cert-manager's objects served by a fake
 * writer (the local cluster has cert-manager's CRDs but no controller to fill in statuses).
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Account } from "@/lib/generated/prisma/client";
import type { ClusterWriter } from "@/lib/k8s/apply";
import { exampleIngressSettings, exampleSettings } from "@/lib/k8s/manifests/test-fixtures";
import type { ClusterSettings } from "@/lib/k8s/manifests/types";
import { NO_CERTIFICATE_MESSAGES, parseDomainTlsStatus } from "@/lib/k8s/tls-status";
import { log } from "@/lib/log";
import { addDomain } from "@/lib/services/domain/add-domain";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { NO_CERTIFICATE_RECHECK_MS, observeDomainTls, TLS_RECHECK_MS } from "./domain-tls";
import type { ReconcileContext } from "./context";
import { siteForReconcileInclude } from "./site-spec";

const db = withTestDatabase();
const NOW = new Date("2026-12-01T12:00:00Z");

let acme: Account;
let actor: { userId: string; ip: null };
let counter = 0;

beforeAll(async () => {
  const p = db().prisma;
  acme = await createTestAccount(p, { slug: "tlsacme" });
  const owner = await createTestUser(p, {
    email: "owner@tls.test",
    roles: [{ account: acme, role: "OWNER" }],
  });
  actor = { userId: owner.id, ip: null };
});

/** A site with a primary and a www alias; returns its row as the reconciler reads it. */
async function newSite() {
  counter += 1;
  const name = `tls${counter}`;
  const { site } = await createSite({
    actor,
    accountId: acme.id,
    input: { name, domain: `${name}.example`, app: "PHP" },
  });
  await addDomain({ actor, siteId: site.id, input: { domain: `www.${name}.example` } });
  return readSite(site.id);
}

function readSite(id: string) {
  return db().prisma.site.findUniqueOrThrow({ where: { id }, include: siteForReconcileInclude });
}

type Lister = NonNullable<ClusterWriter["listNamespaced"]>;

function context(settings: ClusterSettings, listNamespaced: Lister | undefined): ReconcileContext {
  const writer = { listNamespaced } as unknown as ClusterWriter;
  return { prisma: db().prisma, settings, writer, log, now: () => NOW } as unknown as ReconcileContext;
}

/** cert-manager's objects for one site: www issued, the apex waiting on its HTTP-01 self check. */
function clusterObjects(name: string, namespace: string): Record<string, KubernetesObject[]> {
  const owner = (kind: string, n: string, uid: string) => [{ apiVersion: "x", kind, name: n, uid }];
  return {
    Certificate: [
      {
        metadata: {
          name: `${name}-www-tls`,
          namespace,
          uid: "c1",
          creationTimestamp: new Date("2026-11-30T00:00:00Z"),
        },
        spec: { dnsNames: [`www.${name}.example`], secretName: `${name}-www-tls` },
        status: {
          conditions: [
            { type: "Ready", status: "True", reason: "Ready", message: "Certificate is up to date" },
          ],
          notAfter: "2027-02-28T10:00:00Z",
          renewalTime: "2027-01-29T10:00:00Z",
          revision: 1,
        },
      } as KubernetesObject,
      {
        metadata: { name: `${name}-tls`, namespace, uid: "c2" },
        spec: { dnsNames: [`${name}.example`], secretName: `${name}-tls` },
        status: {
          conditions: [
            {
              type: "Ready",
              status: "False",
              reason: "DoesNotExist",
              message: "Issuing certificate as Secret does not exist",
            },
            {
              type: "Issuing",
              status: "True",
              reason: "DoesNotExist",
              message: "Issuing certificate as Secret does not exist",
            },
          ],
        },
      } as KubernetesObject,
    ],
    CertificateRequest: [
      {
        metadata: {
          name: `${name}-tls-1`,
          namespace,
          uid: "r1",
          annotations: {
            "cert-manager.io/certificate-name": `${name}-tls`,
            "cert-manager.io/certificate-revision": "1",
          },
          ownerReferences: owner("Certificate", `${name}-tls`, "c2"),
        },
        status: {
          conditions: [{ type: "Ready", status: "False", reason: "Pending", message: "Waiting on order" }],
        },
      } as KubernetesObject,
    ],
    Order: [
      {
        metadata: {
          name: `${name}-tls-1-1`,
          namespace,
          uid: "o1",
          ownerReferences: owner("CertificateRequest", `${name}-tls-1`, "r1"),
        },
        status: { state: "pending" },
      } as KubernetesObject,
    ],
    Challenge: [
      {
        metadata: {
          name: `${name}-tls-1-1-0`,
          namespace,
          uid: "h1",
          ownerReferences: owner("Order", `${name}-tls-1-1`, "o1"),
        },
        spec: { dnsName: `${name}.example`, type: "HTTP-01" },
        status: {
          state: "pending",
          processing: true,
          presented: true,
          reason: "Waiting for HTTP-01 challenge propagation: failed to perform self check GET request",
        },
      } as KubernetesObject,
    ],
  };
}

function servedFrom(objects: Record<string, KubernetesObject[]>, calls: string[] = []): Lister {
  return async (_apiVersion, kind, namespace) => {
    calls.push(`${kind} ${namespace}`);
    return (objects[kind] ?? []).filter((o) => o.metadata?.namespace === namespace);
  };
}

describe("observeDomainTls", () => {
  it("reads nothing and writes nothing without a ClusterIssuer", async () => {
    const site = await newSite();
    const calls: string[] = [];
    const before = await db().prisma.changeLog.count();
    const outcome = await observeDomainTls(
      context(exampleSettings, servedFrom(clusterObjects(site.name, "sp-tlsacme"), calls)),
      site,
    );
    expect(outcome).toEqual({ changed: false, httpsChanged: false });
    expect(calls).toEqual([]);
    expect(await db().prisma.changeLog.count()).toBe(before);
  });

  it("stores each domain's status with one STATUS change, and asks for the routes to be rendered again", async () => {
    const site = await newSite();
    const calls: string[] = [];
    const settings = { ...exampleSettings, clusterIssuer: "letsencrypt" };
    const outcome = await observeDomainTls(
      context(settings, servedFrom(clusterObjects(site.name, "sp-tlsacme"), calls)),
      site,
    );
    expect(outcome).toEqual({ changed: true, httpsChanged: true, recheckAfterMs: TLS_RECHECK_MS });
    // Gateway mode: the Gateway's namespace too, where gateway-shim puts its Certificates.
    expect(new Set(calls.map((c) => c.split(" ")[1]))).toEqual(new Set(["sp-tlsacme", "sitepod-gateway"]));

    const stored = await readSite(site.id);
    const byHost = Object.fromEntries(
      stored.domains.map((d) => [d.hostname, parseDomainTlsStatus(d.tlsStatus)]),
    );
    expect(byHost[`www.${site.name}.example`]).toMatchObject({
      state: "issued",
      notAfter: "2027-02-28T10:00:00Z",
      certificate: `sp-tlsacme/${site.name}-www-tls`,
    });
    expect(byHost[`${site.name}.example`]).toMatchObject({
      state: "pending",
      step: "challenge",
      reason: "HTTP-01 challenge pending",
      message: "Waiting for HTTP-01 challenge propagation: failed to perform self check GET request",
    });
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { objectId: site.id, action: "STATUS" },
      orderBy: { id: "desc" },
    });
    expect(change.data).toEqual({
      name: site.name,
      tls: { [`${site.name}.example`]: "pending", [`www.${site.name}.example`]: "issued" },
    });

    // The same objects again: nothing to write, no change row.
    const count = await db().prisma.changeLog.count();
    const again = await observeDomainTls(
      context(settings, servedFrom(clusterObjects(site.name, "sp-tlsacme"))),
      await readSite(site.id),
    );
    expect(again).toEqual({ changed: false, httpsChanged: false, recheckAfterMs: TLS_RECHECK_MS });
    expect(await db().prisma.changeLog.count()).toBe(count);
  });

  it("reads nothing while every domain's certificate is issued and was seen lately", async () => {
    const site = await newSite();
    const fresh = {
      state: "issued",
      notAfter: "2027-02-28T10:00:00Z",
      renewalTime: "2027-01-29T10:00:00Z",
      observedAt: NOW.toISOString(),
    };
    await db().prisma.domain.updateMany({ where: { siteId: site.id }, data: { tlsStatus: fresh } });
    const calls: string[] = [];
    const outcome = await observeDomainTls(
      context({ ...exampleSettings, clusterIssuer: "letsencrypt" }, servedFrom({}, calls)),
      await readSite(site.id),
    );
    expect(outcome).toEqual({ changed: false, httpsChanged: false });
    expect(calls).toEqual([]);
  });

  it("keeps the stored statuses when cert-manager's objects cannot be read, without failing", async () => {
    const site = await newSite();
    const settings = { ...exampleIngressSettings, clusterIssuer: "letsencrypt" };
    const forbidden: Lister = async () => {
      throw new Error(
        'certificates.cert-manager.io is forbidden: User "system:serviceaccount:sitepod:reconciler" cannot list',
      );
    };
    const before = await db().prisma.changeLog.count();
    const outcome = await observeDomainTls(context(settings, forbidden), site);
    expect(outcome).toEqual({ changed: false, httpsChanged: false, recheckAfterMs: TLS_RECHECK_MS });
    expect((await readSite(site.id)).domains.every((d) => d.tlsStatus === null)).toBe(true);
    expect(await db().prisma.changeLog.count()).toBe(before);
  });

  it("says there is no certificate yet where cert-manager made none (ingress mode reads the tenant namespace only)", async () => {
    const site = await newSite();
    const calls: string[] = [];
    const settings = { ...exampleIngressSettings, clusterIssuer: "letsencrypt" };
    const outcome = await observeDomainTls(context(settings, servedFrom({}, calls)), site);
    // cert-manager makes the Certificate from the Ingress within seconds: look again soon.
    expect(outcome).toEqual({
      changed: true,
      httpsChanged: false,
      recheckAfterMs: NO_CERTIFICATE_RECHECK_MS,
    });
    expect(new Set(calls.map((c) => c.split(" ")[1]))).toEqual(new Set(["sp-tlsacme"]));
    const stored = await readSite(site.id);
    expect(parseDomainTlsStatus(stored.domains[0]?.tlsStatus)?.message).toBe(NO_CERTIFICATE_MESSAGES.ingress);
    for (const d of stored.domains) {
      expect(parseDomainTlsStatus(d.tlsStatus)).toMatchObject({
        state: "pending",
        step: "certificate",
        reason: "NoCertificate",
      });
    }
  });
});
