import { describe, expect, it } from "vitest";
import {
  type CertManagerObjects,
  type CmCertificate,
  type CmCertificateRequest,
  type CmChallenge,
  type CmOrder,
  certificateFor,
  domainTlsStatus,
  NO_CERTIFICATE_MESSAGES,
  parseDomainTlsStatus,
  sameTlsStatus,
  tlsCheckDue,
} from "./tls-status";

const NOW = new Date("2026-12-01T12:00:00Z");
const NS = "sp-acme";

// Shaped after what cert-manager v1.x writes: ingress-shim's Certificate for an Ingress's TLS
// block, its CertificateRequest (annotated with the Certificate's name and revision), the ACME
// Order it makes, and one Challenge per dnsName.
function certificate(
  status: CmCertificate["status"],
  dnsNames = ["shop.example", "www.shop.example"],
): CmCertificate {
  return {
    metadata: {
      name: "shop-tls",
      namespace: NS,
      uid: "cert-uid",
      creationTimestamp: "2026-11-30T10:00:00Z",
      ownerReferences: [{ kind: "Ingress", name: "shop", uid: "ing-uid" }],
    },
    spec: { dnsNames, secretName: "shop-tls" },
    status,
  };
}

const issuedStatus: CmCertificate["status"] = {
  conditions: [
    {
      type: "Ready",
      status: "True",
      reason: "Ready",
      message: "Certificate is up to date and has not expired",
    },
  ],
  notBefore: "2026-11-30T10:01:00Z",
  notAfter: "2027-02-28T10:01:00Z",
  renewalTime: "2027-01-29T10:01:00Z",
  revision: 1,
};

const issuingStatus: CmCertificate["status"] = {
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
};

function request(status: CmCertificateRequest["status"]): CmCertificateRequest {
  return {
    metadata: {
      name: "shop-tls-1",
      namespace: NS,
      uid: "cr-uid",
      creationTimestamp: "2026-11-30T10:00:01Z",
      annotations: {
        "cert-manager.io/certificate-name": "shop-tls",
        "cert-manager.io/certificate-revision": "1",
      },
      ownerReferences: [{ kind: "Certificate", name: "shop-tls", uid: "cert-uid" }],
    },
    status,
  };
}

const pendingRequest = request({
  conditions: [
    {
      type: "Approved",
      status: "True",
      reason: "cert-manager.io",
      message: "Certificate request has been approved by cert-manager.io",
    },
    {
      type: "Ready",
      status: "False",
      reason: "Pending",
      message: 'Waiting on certificate issuance from order sp-acme/shop-tls-1-3385285143: "pending"',
    },
  ],
});

function order(state: string | undefined, reason?: string): CmOrder {
  return {
    metadata: {
      name: "shop-tls-1-3385285143",
      namespace: NS,
      uid: "order-uid",
      creationTimestamp: "2026-11-30T10:00:02Z",
      ownerReferences: [{ kind: "CertificateRequest", name: "shop-tls-1", uid: "cr-uid" }],
    },
    spec: { dnsNames: ["shop.example", "www.shop.example"] },
    status: { ...(state ? { state } : {}), ...(reason ? { reason } : {}) },
  };
}

function challenge(dnsName: string, status: CmChallenge["status"]): CmChallenge {
  return {
    metadata: {
      name: `shop-tls-1-3385285143-${dnsName.length}`,
      namespace: NS,
      uid: `ch-${dnsName}`,
      creationTimestamp: "2026-11-30T10:00:03Z",
      ownerReferences: [{ kind: "Order", name: "shop-tls-1-3385285143", uid: "order-uid" }],
    },
    spec: { dnsName, type: "HTTP-01" },
    status,
  };
}

const SELF_CHECK =
  "Waiting for HTTP-01 challenge propagation: failed to perform self check GET request 'http://shop.example/.well-known/acme-challenge/Zm9v': Get \"http://shop.example/.well-known/acme-challenge/Zm9v\": dial tcp: lookup shop.example on 10.96.0.10:53: no such host";

function objects(partial: Partial<CertManagerObjects>): CertManagerObjects {
  return { certificates: [], certificateRequests: [], orders: [], challenges: [], ...partial };
}

describe("domainTlsStatus", () => {
  it("is pending at the certificate step when no Certificate names the domain", () => {
    const status = domainTlsStatus(
      "shop.example",
      objects({ certificates: [certificate(issuedStatus, ["other.example"])] }),
      NOW,
    );
    expect(status).toMatchObject({ state: "pending", step: "certificate", reason: "NoCertificate" });
    expect(status.certificate).toBeUndefined();
    expect(status.observedAt).toBe(NOW.toISOString());
    // Who has to act depends on the routing mode: in gateway mode, the operator (a listener).
    expect(
      domainTlsStatus("shop.example", objects({}), NOW, NO_CERTIFICATE_MESSAGES.gateway).message,
    ).toContain("HTTPS listener on the Gateway");
  });

  it("is issued with notAfter when the Certificate is Ready and renewal is not due", () => {
    const status = domainTlsStatus(
      "www.shop.example",
      objects({ certificates: [certificate(issuedStatus)] }),
      NOW,
    );
    expect(status).toEqual({
      state: "issued",
      reason: "Ready",
      certificate: "sp-acme/shop-tls",
      notAfter: "2027-02-28T10:01:00Z",
      renewalTime: "2027-01-29T10:01:00Z",
      observedAt: NOW.toISOString(),
    });
  });

  it("is renewal due once renewalTime has passed, still showing when the certificate expires", () => {
    const late = new Date("2027-02-01T00:00:00Z");
    const status = domainTlsStatus(
      "shop.example",
      objects({ certificates: [certificate(issuedStatus)] }),
      late,
    );
    expect(status).toMatchObject({
      state: "renewal_due",
      reason: "RenewalDue",
      notAfter: "2027-02-28T10:01:00Z",
      renewalTime: "2027-01-29T10:01:00Z",
    });
  });

  it("says why a due renewal is failing (cert-manager backs off: Issuing False, reason Failed)", () => {
    const failingRenewal: CmCertificate["status"] = {
      ...issuedStatus,
      conditions: [
        ...(issuedStatus?.conditions ?? []),
        {
          type: "Issuing",
          status: "False",
          reason: "Failed",
          message:
            'The certificate request has failed to complete and will be retried: Failed to wait for order resource "shop-tls-2-1" to become ready: order is in "invalid" state: ',
        },
      ],
      lastFailureTime: "2027-01-30T00:00:00Z",
      failedIssuanceAttempts: 2,
    };
    const status = domainTlsStatus(
      "shop.example",
      objects({ certificates: [certificate(failingRenewal)] }),
      new Date("2027-02-01T00:00:00Z"),
    );
    expect(status.state).toBe("renewal_due");
    expect(status.reason).toBe("Failed");
    expect(status.message).toContain('order is in "invalid" state');
  });

  it("is pending at the certificate step while cert-manager has not made a request yet", () => {
    const status = domainTlsStatus(
      "shop.example",
      objects({ certificates: [certificate(issuingStatus)] }),
      NOW,
    );
    expect(status).toMatchObject({
      state: "pending",
      step: "certificate",
      reason: "DoesNotExist",
      message: "Issuing certificate as Secret does not exist",
    });
  });

  it("is pending at the request step while the issuer has made no Order", () => {
    const status = domainTlsStatus(
      "shop.example",
      objects({ certificates: [certificate(issuingStatus)], certificateRequests: [pendingRequest] }),
      NOW,
    );
    expect(status).toMatchObject({ state: "pending", step: "request", reason: "Pending" });
    expect(status.message).toContain("Waiting on certificate issuance");
  });

  it("is pending at the challenge step with the Challenge's reason (the HTTP-01 self check failing)", () => {
    const status = domainTlsStatus(
      "shop.example",
      objects({
        certificates: [certificate(issuingStatus)],
        certificateRequests: [pendingRequest],
        orders: [order("pending")],
        challenges: [
          challenge("shop.example", {
            processing: true,
            presented: true,
            state: "pending",
            reason: SELF_CHECK,
          }),
          challenge("www.shop.example", {
            processing: false,
            presented: false,
            state: "valid",
            reason: "Successfully authorized domain",
          }),
        ],
      }),
      NOW,
    );
    expect(status).toEqual({
      state: "pending",
      step: "challenge",
      reason: "HTTP-01 challenge pending",
      message: SELF_CHECK,
      certificate: "sp-acme/shop-tls",
      observedAt: NOW.toISOString(),
    });
  });

  it("reads each domain's own Challenge: a valid one leaves the domain waiting on the order", () => {
    const status = domainTlsStatus(
      "www.shop.example",
      objects({
        certificates: [certificate(issuingStatus)],
        certificateRequests: [pendingRequest],
        orders: [order("pending")],
        challenges: [
          challenge("shop.example", {
            processing: true,
            presented: true,
            state: "pending",
            reason: SELF_CHECK,
          }),
          challenge("www.shop.example", { processing: false, presented: false, state: "valid" }),
        ],
      }),
      NOW,
    );
    expect(status).toMatchObject({ state: "pending", step: "order", reason: "Order pending" });
  });

  it("is failed at the challenge step when the CA found the challenge invalid", () => {
    const reason =
      "Error accepting authorization: acme: authorization error for shop.example: 403 urn:ietf:params:acme:error:unauthorized: 203.0.113.7: Invalid response from http://shop.example/.well-known/acme-challenge/Zm9v: 404";
    const status = domainTlsStatus(
      "shop.example",
      objects({
        certificates: [certificate(issuingStatus)],
        certificateRequests: [pendingRequest],
        orders: [order("invalid")],
        challenges: [
          challenge("shop.example", { processing: false, presented: false, state: "invalid", reason }),
        ],
      }),
      NOW,
    );
    expect(status).toMatchObject({
      state: "failed",
      step: "challenge",
      reason: "HTTP-01 challenge invalid",
      message: reason,
    });
  });

  it("is failed at the order step when the Order errored without a challenge for the domain", () => {
    const status = domainTlsStatus(
      "shop.example",
      objects({
        certificates: [certificate(issuingStatus)],
        certificateRequests: [pendingRequest],
        orders: [
          order(
            "errored",
            "Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates already issued",
          ),
        ],
      }),
      NOW,
    );
    expect(status).toMatchObject({ state: "failed", step: "order", reason: "Order errored" });
    expect(status.message).toContain("rateLimited");
  });

  it("is failed at the request step when the request was denied", () => {
    const denied = request({
      conditions: [
        {
          type: "Denied",
          status: "True",
          reason: "policy.cert-manager.io",
          message: "No policy approved this request",
        },
        {
          type: "Ready",
          status: "False",
          reason: "Denied",
          message: "The CertificateRequest was denied by an approval controller",
        },
      ],
    });
    const status = domainTlsStatus(
      "shop.example",
      objects({ certificates: [certificate(issuingStatus)], certificateRequests: [denied] }),
      NOW,
    );
    expect(status).toMatchObject({ state: "failed", step: "request", reason: "policy.cert-manager.io" });
  });

  it("is failed with the reason when issuance failed and cert-manager backs off", () => {
    const backingOff = certificate({
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "DoesNotExist",
          message: "Issuing certificate as Secret does not exist",
        },
        {
          type: "Issuing",
          status: "False",
          reason: "Failed",
          message:
            "The certificate request has failed to complete and will be retried: The CSR PEM requests a commonName that is not present in the list of dnsNames",
        },
      ],
      lastFailureTime: "2026-12-01T11:00:00Z",
      failedIssuanceAttempts: 1,
    });
    const status = domainTlsStatus("shop.example", objects({ certificates: [backingOff] }), NOW);
    expect(status).toMatchObject({ state: "failed", step: "certificate", reason: "Failed" });
    expect(status.message).toContain("will be retried");
  });

  it("is failed as expired when notAfter has passed, even if Ready was not updated yet", () => {
    const status = domainTlsStatus(
      "shop.example",
      objects({ certificates: [certificate(issuedStatus)] }),
      new Date("2027-03-01T00:00:00Z"),
    );
    expect(status).toMatchObject({ state: "failed", reason: "Expired", notAfter: "2027-02-28T10:01:00Z" });
  });

  it("is pending without a status (cert-manager's controller has not looked yet)", () => {
    const status = domainTlsStatus("shop.example", objects({ certificates: [certificate(undefined)] }), NOW);
    expect(status).toMatchObject({ state: "pending", step: "certificate", reason: "NotObserved" });
  });

  it("follows the request of the next revision, not an older failed one", () => {
    const old = request({
      conditions: [{ type: "Ready", status: "False", reason: "Failed", message: "old" }],
    });
    const renewed = {
      ...pendingRequest,
      metadata: {
        ...pendingRequest.metadata,
        name: "shop-tls-2",
        uid: "cr2",
        creationTimestamp: "2026-11-01T00:00:00Z",
        annotations: {
          "cert-manager.io/certificate-name": "shop-tls",
          "cert-manager.io/certificate-revision": "2",
        },
      },
    };
    const cert = certificate({ ...issuingStatus, revision: 1 });
    const status = domainTlsStatus(
      "shop.example",
      objects({ certificates: [cert], certificateRequests: [old, renewed] }),
      NOW,
    );
    expect(status).toMatchObject({ state: "pending", step: "request" });
  });

  it("caps long messages so a chatty controller cannot bloat the row", () => {
    const status = domainTlsStatus(
      "shop.example",
      objects({
        certificates: [certificate(issuingStatus)],
        certificateRequests: [pendingRequest],
        orders: [order("pending")],
        challenges: [challenge("shop.example", { state: "pending", reason: "x".repeat(5000) })],
      }),
      NOW,
    );
    expect(status.message?.length).toBe(1000);
    expect(parseDomainTlsStatus(JSON.parse(JSON.stringify(status)))).toEqual(status);
  });
});

describe("certificateFor", () => {
  it("prefers an exact name over a wildcard, and a Ready certificate over one that is not", () => {
    const wildcard = {
      ...certificate(issuedStatus, ["*.shop.example"]),
      metadata: { name: "wild", namespace: NS },
    };
    const exactNotReady = {
      ...certificate(issuingStatus, ["www.shop.example"]),
      metadata: { name: "exact", namespace: NS },
    };
    expect(certificateFor("www.shop.example", [wildcard, exactNotReady])?.metadata?.name).toBe("exact");
    expect(certificateFor("api.shop.example", [wildcard, exactNotReady])?.metadata?.name).toBe("wild");
    // A wildcard covers one level only.
    expect(certificateFor("a.b.shop.example", [wildcard])).toBeUndefined();
  });
});

describe("sameTlsStatus", () => {
  it("ignores when the status was observed", () => {
    const a = domainTlsStatus("shop.example", objects({ certificates: [certificate(issuedStatus)] }), NOW);
    const b = domainTlsStatus(
      "shop.example",
      objects({ certificates: [certificate(issuedStatus)] }),
      new Date("2026-12-01T13:00:00Z"),
    );
    expect(sameTlsStatus(a, b)).toBe(true);
    expect(sameTlsStatus(a, { ...b, state: "failed" })).toBe(false);
    expect(sameTlsStatus(null, null)).toBe(true);
    expect(sameTlsStatus(a, null)).toBe(false);
  });
});

describe("tlsCheckDue", () => {
  const issued = {
    state: "issued",
    notAfter: "2027-02-28T10:01:00Z",
    renewalTime: "2027-01-29T10:01:00Z",
    observedAt: "2026-12-01T11:30:00.000Z",
  };

  it("reads nothing while every domain's certificate is issued and was seen within the hour", () => {
    expect(tlsCheckDue([issued, issued], NOW)).toBe(false);
  });

  it("reads again for a domain never looked at, one not issued, one seen long ago, or one due for renewal", () => {
    expect(tlsCheckDue([issued, null], NOW)).toBe(true);
    expect(tlsCheckDue([issued, { ...issued, state: "pending" }], NOW)).toBe(true);
    expect(tlsCheckDue([{ ...issued, observedAt: "2026-12-01T10:00:00.000Z" }], NOW)).toBe(true);
    expect(
      tlsCheckDue([{ ...issued, observedAt: "2027-01-29T10:00:00.000Z" }], new Date("2027-01-29T10:30:00Z")),
    ).toBe(true);
    expect(tlsCheckDue([{ ...issued, observedAt: "garbage" }], NOW)).toBe(true);
  });
});
