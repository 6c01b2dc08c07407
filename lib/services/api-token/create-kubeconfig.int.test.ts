/**
 * "Download kubeconfig": the kubeconfig's token is a real API token (hashed, audited, listed) that
 * authenticates; and, with the API server in-process and the real kubectl, the downloaded file
 * works as it is.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { hashApiToken } from "@/lib/auth/api-token-format";
import { authenticateBearer, isTokenError } from "@/lib/auth/bearer";
import type { ApiServerEndpoint } from "@/lib/apiserver/endpoint";
import { listApiTokens } from "@/lib/services/api-token/list-api-tokens";
import { createKubeconfig } from "@/lib/services/api-token/create-kubeconfig";
import { kubectlOk, startTestApiServer, type TestApiServer } from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

const CA = "-----BEGIN CERTIFICATE-----\nMIIBdTCCARugAwIBAgIU\n-----END CERTIFICATE-----\n";
const ENDPOINT: ApiServerEndpoint = { url: "https://127.0.0.1:3443", caPem: CA };

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

interface Kubeconfig {
  clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
  users: { name: string; user: { token: string } }[];
  contexts: { name: string; context: { namespace: string; user: string } }[];
  "current-context": string;
}

async function changeCount(): Promise<number> {
  return db().prisma.changeLog.count();
}

describe("createKubeconfig", () => {
  it("mints a hashed, audited, listed token that authenticates, in a kubeconfig for the account's namespace", async () => {
    const now = new Date();
    const created = await createKubeconfig({
      actor: { userId: t.acmeOwner.id, ip: "198.51.100.7" },
      accountId: t.acme.id,
      input: { role: "DEVELOPER", expiresInDays: "30" },
      endpoint: ENDPOINT,
      now,
    });
    expect(created).toMatchObject({ filename: "sitepod-acme.kubeconfig", role: "DEVELOPER" });
    expect(Date.parse(created.expiresAt ?? "") - now.getTime()).toBe(30 * 24 * 3600 * 1000);

    const config = parse(created.kubeconfig) as Kubeconfig;
    expect(config.clusters[0]?.cluster.server).toBe(ENDPOINT.url);
    expect(
      Buffer.from(config.clusters[0]?.cluster["certificate-authority-data"] ?? "", "base64").toString(),
    ).toBe(CA);
    expect(config.contexts).toEqual([
      {
        name: "sitepod-acme",
        context: { cluster: "sitepod", user: config.users[0]?.name, namespace: "acme" },
      },
    ]);
    expect(config["current-context"]).toBe("sitepod-acme");
    const token = config.users[0]?.user.token ?? "";

    // Stored as a hash only, marked as a kubeconfig's, and listed with the others.
    const row = await db().prisma.apiToken.findUniqueOrThrow({ where: { id: created.tokenId } });
    expect(row).toMatchObject({
      userId: t.acmeOwner.id,
      accountId: t.acme.id,
      role: "DEVELOPER",
      purpose: "kubeconfig",
      secretHash: hashApiToken(token),
    });
    expect(JSON.stringify(row)).not.toContain(token.slice(20));
    const listed = await listApiTokens({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(listed.tokens.map((tk) => tk.id)).toContain(created.tokenId);

    // Audited.
    const audit = await db().prisma.changeLog.findFirstOrThrow({
      where: { kind: "ApiToken", objectId: created.tokenId, action: "CREATED" },
    });
    expect(audit).toMatchObject({
      accountId: t.acme.id,
      actorUserId: t.acmeOwner.id,
      actorIp: "198.51.100.7",
    });

    // The kubeconfig's token is a working API token with the role asked for.
    const who = await authenticateBearer(`Bearer ${token}`, "198.51.100.7");
    if (isTokenError(who)) throw new Error(`the kubeconfig's token is refused: ${who.message}`);
    expect(who).toMatchObject({
      userId: t.acmeOwner.id,
      token: { id: created.tokenId, role: "DEVELOPER", accountId: t.acme.id },
    });
  });

  it("defaults to the caller's role and 90 days, and takes no expiry", async () => {
    const now = new Date();
    const plain = await createKubeconfig({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      endpoint: ENDPOINT,
      now,
    });
    expect(plain.role).toBe("OWNER");
    expect(Date.parse(plain.expiresAt ?? "") - now.getTime()).toBe(90 * 24 * 3600 * 1000);
    const never = await createKubeconfig({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { expiresInDays: "never" },
      endpoint: ENDPOINT,
    });
    expect(never.expiresAt).toBeNull();
  });

  it("refuses, writing nothing: a stronger role, a bad expiry, a foreign account, an API token, no API server", async () => {
    const before = await changeCount();
    const tokensBefore = await db().prisma.apiToken.count();

    const stronger = await rejection(
      createKubeconfig({
        actor: { userId: t.acmeViewer.id },
        accountId: t.acme.id,
        input: { role: "ADMIN" },
        endpoint: ENDPOINT,
      }),
    );
    expect(stronger.code).toBe("FORBIDDEN");
    expect(stronger.fieldErrors?.role).toBe("A token's role can be at most yours (viewer).");

    const badExpiry = await rejection(
      createKubeconfig({
        actor: { userId: t.acmeOwner.id },
        accountId: t.acme.id,
        input: { expiresInDays: "12" },
        endpoint: ENDPOINT,
      }),
    );
    expect(badExpiry.code).toBe("INVALID_INPUT");
    expect(badExpiry.fieldErrors?.expiresInDays).toBe("Choose 7, 30 or 90 days, 1 year, or no expiry.");

    const foreign = await rejection(
      createKubeconfig({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id, endpoint: ENDPOINT }),
    );
    expect(foreign.code).toBe("NOT_FOUND");

    // A script holding a token cannot mint itself a longer-lived one.
    const existing = await createKubeconfig({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      endpoint: ENDPOINT,
    });
    const afterExisting = await changeCount();
    const tokensAfterExisting = await db().prisma.apiToken.count();
    const token = (parse(existing.kubeconfig) as Kubeconfig).users[0]?.user.token;
    const principal = await authenticateBearer(`Bearer ${token}`, null);
    if (isTokenError(principal)) throw new Error(principal.message);
    const viaToken = await rejection(
      createKubeconfig({ actor: principal, accountId: t.acme.id, endpoint: ENDPOINT }),
    );
    expect(viaToken).toMatchObject({
      code: "FORBIDDEN",
      message: "An API token cannot create API tokens. Sign in to the panel to do it.",
    });

    const unconfigured = await rejection(
      createKubeconfig({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id, endpoint: null }),
    );
    expect(unconfigured.code).toBe("UNAVAILABLE");
    expect(unconfigured.message).toContain("SITEPOD_APISERVER_URL");

    // Only the one kubeconfig made on purpose above wrote anything: a token and its audit line.
    expect(afterExisting).toBe(before + 1);
    expect(tokensAfterExisting).toBe(tokensBefore + 1);
    expect(await changeCount()).toBe(afterExisting);
    expect(await db().prisma.apiToken.count()).toBe(tokensAfterExisting);
  });
});

describe("the downloaded kubeconfig with kubectl", () => {
  let server: TestApiServer;

  beforeAll(async () => {
    server = await startTestApiServer({});
  });

  afterAll(async () => {
    await server?.close();
  });

  it("kubectl get sites works with the file as downloaded, in the account's namespace", async () => {
    const p = db().prisma;
    const kube = await createTestAccount(p, { slug: "kube", parent: t.platform });
    const owner = await createTestUser(p, {
      email: "owner@kube.test",
      roles: [{ account: kube, role: "OWNER" }],
    });
    const created = await createKubeconfig({
      actor: { userId: owner.id },
      accountId: kube.id,
      endpoint: { url: server.url, caPem: readFileSync(server.caCert, "utf8") },
    });
    const file = path.join(server.dir, created.filename);
    writeFileSync(file, created.kubeconfig, { mode: 0o600 });

    expect(
      (
        await kubectlOk(file, [
          "config",
          "view",
          "--minify",
          "-o",
          "jsonpath={.contexts[0].context.namespace}",
        ])
      ).trim(),
    ).toBe("kube");
    await kubectlOk(
      file,
      ["apply", "-f", "-"],
      `apiVersion: hosting.sitepod.io/v1alpha1
kind: Site
metadata:
  name: shop
spec:
  app: PHP
  primaryDomain: shop.kube.test
`,
    );
    // No -n: the context's namespace is the account's.
    expect((await kubectlOk(file, ["get", "sites", "-o", "name"])).trim()).toBe(
      "site.hosting.sitepod.io/shop",
    );
    await p.site.findFirstOrThrow({ where: { accountId: kube.id, name: "shop" } });
  });
});
