/**
 * Domains' TLS status against the real cert-manager controller the local cluster runs
 * (cluster/cert-manager.ts): the reconciler renders the site's Ingress with the cluster-issuer
 * annotation (SITEPOD_CLUSTER_ISSUER), cert-manager's ingress-shim makes the Certificate, its CA
 * issuer signs it, and the reconciler stores what cert-manager reports on each domain. The ACME
 * issuer (Pebble) takes names through Orders and Challenges; broken ClusterIssuers made here, and
 * a name Pebble refuses, show cert-manager's own words.
 *
 * Ingress routing, whatever the cluster's: ingress-shim needs no ingress controller, while in
 * Gateway mode the Certificates come from the operator's Gateway listeners, not from the site.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CERT_MANAGER_NAMESPACE,
  LOCAL_ACME_ISSUER,
  LOCAL_CLUSTER_ISSUER,
  PEBBLE_REFUSED_DOMAIN,
} from "@/cluster/cert-manager";
import { clusterSettingsFromEnv } from "@/lib/k8s/manifests/types";
import { type DomainTlsStatus, parseDomainTlsStatus } from "@/lib/k8s/tls-status";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { type Reconciler, startReconciler } from "./reconciler";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  eventually,
  randomSlug,
} from "./test-support";

const CM_GROUP = { group: "cert-manager.io", version: "v1" };

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

async function clusterIssuerReady(kc: KubeConfig, name: string): Promise<Condition | undefined> {
  const issuer = (await kc
    .makeApiClient(CustomObjectsApi)
    .getClusterCustomObject({ ...CM_GROUP, plural: "clusterissuers", name })) as {
    status?: { conditions?: Condition[] };
  };
  return issuer.status?.conditions?.find((c) => c.type === "Ready");
}

/** Fails the suite at once, saying why, when the cluster's issuer is not there. */
function requireReadyIssuer(name: string): void {
  beforeAll(async () => {
    const ready = await clusterIssuerReady(testKubeConfig(), name).catch(() => undefined);
    if (ready?.status !== "True") {
      throw new Error(
        `The ClusterIssuer ${name} is not Ready (${ready?.message ?? "not found"}): this suite needs the cert-manager controller and Pebble that \`npm run cluster:up\` starts.`,
      );
    }
  });
}

/**
 * A test database, a customer account, and a reconciler in ingress mode issuing from `issuer`.
 * A short resync: a domain without a Certificate yet is looked at again by the periodic resync,
 * which is what brings the status once cert-manager has made one.
 */
function useTlsReconciler(issuer: () => string) {
  const state: {
    db?: TestDatabase;
    kc?: KubeConfig;
    reconciler?: Reconciler;
    account?: { id: string; slug: string };
  } = {};
  beforeAll(async () => {
    state.kc = testKubeConfig();
    state.db = await createTestDatabase();
    state.account = await createCustomerAccount(state.db.prisma, randomSlug("tls"));
    state.reconciler = await startReconciler({
      prisma: state.db.prisma,
      kubeConfig: state.kc,
      settings: { ...clusterSettingsFromEnv(), routing: "ingress", clusterIssuer: issuer() },
      pollIntervalMs: 200,
      resyncSeconds: 2,
      backoff: { baseDelayMs: 200, maxDelayMs: 5_000 },
      recordEvents: false,
    });
  });
  afterAll(async () => {
    await state.reconciler?.stop();
    if (state.kc && state.account) await deleteNamespaces(state.kc, [`sp-${state.account.slug}`]);
    if (state.db) await dropSiteDatabases(state.db.prisma);
    await state.db?.drop();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("only inside tests and hooks");
    return value;
  };
  return {
    get db() {
      return need(state.db);
    },
    get kc() {
      return need(state.kc);
    },
    get account() {
      return need(state.account);
    },
    namespace: () => `sp-${need(state.account).slug}`,
    /** The stored TLS status of every domain of the site, once `done` holds for all of them. */
    async statusesWhen(
      siteId: string,
      done: (status: DomainTlsStatus) => boolean,
    ): Promise<Record<string, DomainTlsStatus>> {
      return eventually(`the TLS status of site ${siteId}`, async () => {
        const domains = await need(state.db).prisma.domain.findMany({ where: { siteId } });
        const statuses = domains.map((d) => [d.hostname, parseDomainTlsStatus(d.tlsStatus)] as const);
        if (statuses.every(([, s]) => s !== null && done(s))) {
          return Object.fromEntries(statuses) as Record<string, DomainTlsStatus>;
        }
        // Thrown, so that a timeout says where the domains got stuck.
        throw new Error(
          statuses
            .map(([host, s]) => `${host}: ${s ? `${s.state} ${s.reason}: ${s.message}` : "none"}`)
            .join("; "),
        );
      });
    },
  };
}

describe("TLS status from the real cert-manager: issued by the local CA", () => {
  const t = useTlsReconciler(() => LOCAL_CLUSTER_ISSUER);

  requireReadyIssuer(LOCAL_CLUSTER_ISSUER);

  it("stores issued with the certificate's real expiry on every domain the site's Ingress names", async () => {
    const name = "shop";
    const domain = `${t.account.slug}.example.test`;
    const site = await createSiteRow(t.db.prisma, {
      accountId: t.account.id,
      name,
      domain,
      app: "PHP",
      aliases: [`www.${domain}`],
    });

    const statuses = await t.statusesWhen(site.id, (s) => s.state === "issued");

    // What cert-manager made from the Ingress, and the certificate it put in the Secret.
    const ns = t.namespace();
    const certificate = (await t.kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({
      ...CM_GROUP,
      plural: "certificates",
      namespace: ns,
      name: `${name}-tls`,
    })) as {
      spec: { dnsNames: string[]; issuerRef: { name: string; kind: string } };
      status: { notAfter: string; renewalTime: string };
    };
    expect(certificate.spec.issuerRef).toMatchObject({ name: LOCAL_CLUSTER_ISSUER, kind: "ClusterIssuer" });
    expect(certificate.spec.dnsNames).toEqual(expect.arrayContaining([domain, `www.${domain}`]));
    const secret = await t.kc
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: `${name}-tls`, namespace: ns });
    const pem = Buffer.from(secret.data?.["tls.crt"] ?? "", "base64").toString();
    const x509 = new X509Certificate(pem);
    expect(x509.subjectAltName).toContain(`DNS:www.${domain}`);
    expect(x509.issuer).toContain("Sitepod local CA");

    for (const host of [domain, `www.${domain}`]) {
      const status = statuses[host];
      expect(status).toMatchObject({
        state: "issued",
        reason: "Ready",
        certificate: `${ns}/${name}-tls`,
        notAfter: certificate.status.notAfter,
        renewalTime: certificate.status.renewalTime,
      });
      // The expiry the panel shows is the one in the certificate itself.
      expect(Date.parse(status?.notAfter ?? "")).toBe(Date.parse(x509.validTo));
    }
    expect(Date.parse(certificate.status.notAfter)).toBeGreaterThan(Date.now() + 80 * 24 * 3600 * 1000);

    // The site's timeline records the change, as for any status the reconciler writes.
    const changes = await t.db.prisma.changeLog.findMany({ where: { objectId: site.id, action: "STATUS" } });
    expect(changes.map((c) => c.data)).toContainEqual(
      expect.objectContaining({ tls: { [domain]: "issued", [`www.${domain}`]: "issued" } }),
    );
  });
});

/** A ClusterIssuer of the test's own (cluster-scoped: named uniquely, removed afterwards). */
function useBrokenIssuer(secret?: (kc: KubeConfig) => Promise<{ "tls.crt": string; "tls.key": string }>) {
  const name = `sitepod-test-${randomBytes(4).toString("hex")}`;
  beforeAll(async () => {
    const kc = testKubeConfig();
    if (secret) {
      await kc.makeApiClient(CoreV1Api).createNamespacedSecret({
        namespace: CERT_MANAGER_NAMESPACE,
        body: {
          metadata: { name, labels: { "sitepod.io/test": "true" } },
          type: "kubernetes.io/tls",
          stringData: await secret(kc),
        },
      });
    }
    await kc.makeApiClient(CustomObjectsApi).createClusterCustomObject({
      ...CM_GROUP,
      plural: "clusterissuers",
      body: {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name, labels: { "sitepod.io/test": "true" } },
        spec: { ca: { secretName: name } },
      },
    });
  });
  afterAll(async () => {
    const kc = testKubeConfig();
    await kc
      .makeApiClient(CustomObjectsApi)
      .deleteClusterCustomObject({ ...CM_GROUP, plural: "clusterissuers", name })
      .catch(() => undefined);
    await kc
      .makeApiClient(CoreV1Api)
      .deleteNamespacedSecret({ name, namespace: CERT_MANAGER_NAMESPACE })
      .catch(() => undefined);
  });
  return () => name;
}

describe("TLS status from the real cert-manager: a ClusterIssuer whose CA Secret is missing", () => {
  const issuer = useBrokenIssuer();
  const t = useTlsReconciler(issuer);

  it("stays pending at the request step, with cert-manager's reason, while the issuer is not ready", async () => {
    // cert-manager may first report another reason while it sets the issuer up: wait for the
    // one that names the missing Secret.
    const ready = await eventually(
      "the broken issuer's Ready condition naming the missing Secret",
      async () => {
        const condition = await clusterIssuerReady(t.kc, issuer());
        return condition?.reason === "ErrGetKeyPair" ? condition : undefined;
      },
    );
    expect(ready).toMatchObject({ status: "False", reason: "ErrGetKeyPair" });
    expect(ready.message).toContain(`secrets "${issuer()}" not found`);

    const site = await createSiteRow(t.db.prisma, {
      accountId: t.account.id,
      name: "shop",
      domain: `${t.account.slug}.example.test`,
      app: "PHP",
    });
    // The request first shows as waiting for the issuer, before cert-manager writes its reason on
    // the CertificateRequest: wait for cert-manager's own message.
    const statuses = await t.statusesWhen(
      site.id,
      (s) =>
        s.step === "request" && s.message !== "Waiting for the issuer to handle the certificate request.",
    );
    expect(Object.values(statuses)).toEqual([
      expect.objectContaining({
        state: "pending",
        step: "request",
        reason: "Pending",
        message: "Referenced issuer does not have a Ready status condition",
        certificate: `${t.namespace()}/shop-tls`,
      }),
    ]);
  });
});

describe("TLS status from the real cert-manager: a CA whose key does not match its certificate", () => {
  // The local CA's certificate with another key: the issuer verifies (it checks that the
  // certificate is a CA, not that the key is its own) and signing fails.
  const issuer = useBrokenIssuer(async (kc) => {
    const local = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: LOCAL_CLUSTER_ISSUER, namespace: CERT_MANAGER_NAMESPACE });
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    return {
      "tls.crt": Buffer.from(local.data?.["tls.crt"] ?? "", "base64").toString(),
      "tls.key": key.export({ type: "pkcs8", format: "pem" }).toString(),
    };
  });
  const t = useTlsReconciler(issuer);

  it("stores failed with the reason cert-manager gives", async () => {
    const site = await createSiteRow(t.db.prisma, {
      accountId: t.account.id,
      name: "shop",
      domain: `${t.account.slug}.example.test`,
      app: "PHP",
    });
    // The request fails first (step "request"), then the Certificate records the failed issuance.
    const statuses = await t.statusesWhen(site.id, (s) => s.state === "failed" && s.step === "certificate");
    const [status] = Object.values(statuses);
    expect(status).toMatchObject({
      state: "failed",
      step: "certificate",
      reason: "Failed",
      certificate: `${t.namespace()}/shop-tls`,
    });
    expect(status?.message).toContain("The certificate request has failed to complete and will be retried");
    expect(status?.message).toContain("x509: provided PrivateKey doesn't match parent's PublicKey");
  });
});

describe("TLS status from the real cert-manager: ACME with Pebble", () => {
  requireReadyIssuer(LOCAL_ACME_ISSUER);
  const t = useTlsReconciler(() => LOCAL_ACME_ISSUER);

  it("stays pending at the HTTP-01 challenge, with cert-manager's self check saying why", async () => {
    // A name that does not lead to this machine: cert-manager's own check of the challenge URL fails.
    const domain = `${t.account.slug}.example.test`;
    const site = await createSiteRow(t.db.prisma, {
      accountId: t.account.id,
      name: "shop",
      domain,
      app: "PHP",
    });
    // Before its self check has run, the challenge is only being presented.
    const statuses = await t.statusesWhen(site.id, (s) => s.message?.includes("self check") ?? false);
    const status = statuses[domain];
    expect(status).toMatchObject({
      state: "pending",
      step: "challenge",
      reason: "HTTP-01 challenge pending",
      certificate: `${t.namespace()}/shop-tls`,
    });
    expect(status?.message).toContain(
      "Waiting for HTTP-01 challenge propagation: failed to perform self check GET request",
    );
    expect(status?.message).toContain(`http://${domain}/.well-known/acme-challenge/`);
  });

  it("stores failed when the ACME server refuses the name, with its error", async () => {
    const domain = `${t.account.slug}.${PEBBLE_REFUSED_DOMAIN}`;
    const site = await createSiteRow(t.db.prisma, {
      accountId: t.account.id,
      name: "blog",
      domain,
      app: "PHP",
    });
    const statuses = await t.statusesWhen(site.id, (s) => s.state === "failed" && s.step === "certificate");
    const status = statuses[domain];
    expect(status).toMatchObject({
      state: "failed",
      step: "certificate",
      reason: "Failed",
      certificate: `${t.namespace()}/blog-tls`,
    });
    expect(status?.message).toContain(
      "Failed to create Order: 400 urn:ietf:params:acme:error:rejectedIdentifier",
    );
    expect(status?.message).toContain(domain);
  });
});
