import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { request as httpsRequest } from "node:https";
import { expect, test } from "@playwright/test";
import { parse } from "yaml";
import { clusterPaths } from "../cluster/cluster";
import { DEMO, e2ePrisma, screenshot, signIn, uniqueName } from "./support/helpers";

const prisma = e2ePrisma();
test.afterAll(async () => {
  await prisma.$disconnect();
});

/** A call as a script makes it: the token in the Authorization header, no cookie, no Origin. */
function withToken(baseURL: string | undefined, token: string) {
  return (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(new URL(path, baseURL), {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
}

test("an API token is created in the panel, shown once, works against /api/v1 within its role, and is refused once revoked", async ({
  page,
  baseURL,
}) => {
  const demo = await prisma.account.findUniqueOrThrow({ where: { slug: "demo" } });
  const owner = await prisma.user.findUniqueOrThrow({ where: { email: DEMO.email } });
  await signIn(page);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page).toHaveURL(/\/accounts\/demo\/api-tokens$/);
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();

  // A name is required: the dialog says so next to the field and nothing is written.
  const before = await prisma.apiToken.count({ where: { accountId: demo.id } });
  await page.getByRole("button", { name: "Create token" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "New API token" })).toBeVisible();
  // The owner may give any role up to owner; the default is the weakest.
  await expect(dialog.getByLabel("Role")).toHaveValue("VIEWER");
  expect(await dialog.getByLabel("Role").locator("option").allTextContents()).toEqual([
    "Owner",
    "Admin",
    "Developer",
    "Viewer",
  ]);
  await dialog.getByRole("button", { name: "Create token" }).click();
  await expect(dialog.getByTestId("api-token-name-error")).toHaveText(
    "Enter a name for the token, e.g. what uses it (deploy script, CI).",
  );
  expect(await prisma.apiToken.count({ where: { accountId: demo.id } })).toBe(before);
  await screenshot(page, "api-tokens-create-dialog");

  const name = uniqueName("deploy");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Role").selectOption("DEVELOPER");
  await dialog.getByLabel("Expires after").selectOption("30");
  await dialog.getByRole("button", { name: "Create token" }).click();
  await expect(dialog.getByText("Copy this token now. You will not see it again.")).toBeVisible();
  const secret = await dialog.getByTestId("api-token-secret").inputValue();
  expect(secret).toMatch(/^sp_[0-9a-z]{16}_[0-9A-Za-z]{46}$/);
  await screenshot(page, "api-tokens-created-once");
  // Only its hash is kept.
  const row = await prisma.apiToken.findFirstOrThrow({ where: { accountId: demo.id, name } });
  expect(row).toMatchObject({ userId: owner.id, role: "DEVELOPER", lastUsedAt: null });
  expect(JSON.stringify(row)).not.toContain(secret.slice(20));
  await dialog.getByRole("button", { name: "I have copied it" }).click();

  const listed = page.getByTestId("api-token-row").filter({ hasText: name });
  await expect(listed).toContainText("Developer");
  await expect(listed).toContainText("Demo user");
  await expect(listed.getByTestId("api-token-last-used")).toHaveText("Never");

  // The token works as a developer of demo would, whoever holds the cookie (here: nobody).
  const api = withToken(baseURL, secret);
  const accounts = await api("/api/v1/accounts");
  expect(accounts.status).toBe(200);
  expect(((await accounts.json()) as { accounts: { slug: string }[] }).accounts.map((a) => a.slug)).toEqual([
    "demo",
  ]);
  expect((await api(`/api/v1/accounts/${demo.id}/sites`)).status).toBe(200);
  // Inviting needs an admin: the token's role, not the owner's, decides.
  const invite = await api(`/api/v1/accounts/${demo.id}/invites`, {
    method: "POST",
    body: { role: "VIEWER" },
  });
  expect(invite.status).toBe(403);
  expect(((await invite.json()) as { error: { message: string } }).error.message).toBe(
    "Your role (developer) does not allow you to invite members.",
  );
  // A token never makes tokens, nor reaches another account.
  const mint = await api(`/api/v1/accounts/${demo.id}/api-tokens`, {
    method: "POST",
    body: { name: "minted", role: "VIEWER", expiresInDays: 7 },
  });
  expect(mint.status).toBe(403);
  const platform = await prisma.account.findUniqueOrThrow({ where: { slug: "platform" } });
  expect((await api(`/api/v1/accounts/${platform.id}/sites`)).status).toBe(404);

  // Its use shows in the list and in the audit log.
  await page.reload();
  await expect(listed.getByTestId("api-token-last-used")).not.toHaveText("Never");
  await screenshot(page, "api-tokens-list");
  // On a phone the row is a card, each column under its name: its Revoke button is on the screen,
  // not at the end of a table scrolled sideways, and the page is no wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const revokeButton = await listed.getByRole("button", { name: "Revoke" }).boundingBox();
  expect(revokeButton, "the Revoke button").not.toBeNull();
  expect((revokeButton?.x ?? 0) + (revokeButton?.width ?? 0)).toBeLessThanOrEqual(390);
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
  ).toBe(true);
  await screenshot(page, "api-tokens-list-phone");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Revoked with a confirmation: the next request is refused with 401 and a code.
  await listed.getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm.getByText("Scripts and tools using this token are refused")).toBeVisible();
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByTestId("api-token-row").filter({ hasText: name })).toHaveCount(0);
  const refused = await api("/api/v1/accounts");
  expect(refused.status).toBe(401);
  expect(refused.headers.get("www-authenticate")).toContain("Bearer");
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("TOKEN_REVOKED");

  await page.getByRole("link", { name: "Audit log" }).click();
  const audit = page.getByTestId("audit-row");
  await expect(audit.filter({ hasText: `Created API token "${name}" (developer, expires` })).toHaveCount(1);
  await expect(audit.filter({ hasText: `API token "${name}" used from a new address` })).toHaveCount(1);
  await expect(audit.filter({ hasText: `Revoked API token "${name}"` })).toHaveCount(1);
  await screenshot(page, "api-tokens-audit-log");
});

/** A GET to the API server as kubectl makes it: trusting only the kubeconfig's CA. */
function apiServerGet(server: string, path: string, token: string, caPem: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(path, server),
      { headers: { authorization: `Bearer ${token}` }, ca: caPem },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

test("Download kubeconfig saves a kubeconfig once: the API server's URL and CA, a fresh listed token, the account's namespace", async ({
  page,
}) => {
  const demo = await prisma.account.findUniqueOrThrow({ where: { slug: "demo" } });
  await signIn(page);
  await page.goto("/accounts/demo/api-tokens");
  await page.getByRole("button", { name: "Download kubeconfig" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Download kubeconfig" })).toBeVisible();
  // The owner's own role by default; any weaker one may be chosen.
  await expect(dialog.getByLabel("Role")).toHaveValue("OWNER");
  await dialog.getByLabel("Role").selectOption("DEVELOPER");
  await dialog.getByLabel("Expires after").selectOption("30");
  await screenshot(page, "api-tokens-kubeconfig-dialog");

  const downloadEvent = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download kubeconfig" }).click();
  const download = await downloadEvent;
  expect(download.suggestedFilename()).toBe("sitepod-demo.kubeconfig");
  const config = parse(await readFile(await download.path(), "utf8")) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { token: string } }[];
    contexts: { name: string; context: { namespace: string } }[];
    "current-context": string;
  };
  const cluster = config.clusters[0]?.cluster;
  expect(cluster?.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const caPem = Buffer.from(cluster?.["certificate-authority-data"] ?? "", "base64").toString("utf8");
  expect(caPem).toContain("-----BEGIN CERTIFICATE-----");
  expect(config.contexts).toEqual([
    expect.objectContaining({
      name: "sitepod-demo",
      context: expect.objectContaining({ namespace: "demo" }),
    }),
  ]);
  expect(config["current-context"]).toBe("sitepod-demo");
  const token = config.users[0]?.user.token ?? "";
  expect(token).toMatch(/^sp_[0-9a-z]{16}_[0-9A-Za-z]{46}$/);

  // Shown once: the dialog says so and holds no token.
  await expect(
    dialog.getByText("Keep sitepod-demo.kubeconfig safe. It cannot be downloaded again."),
  ).toBeVisible();
  await expect(dialog.getByText(token)).toHaveCount(0);
  await screenshot(page, "api-tokens-kubeconfig-downloaded");
  await dialog.getByRole("button", { name: "Done" }).click();

  // The token is a real one: hashed, listed as a kubeconfig's, and the API server takes it in
  // the namespace the context selects, over TLS checked against the kubeconfig's CA.
  const row = await prisma.apiToken.findFirstOrThrow({
    where: { accountId: demo.id, purpose: "kubeconfig" },
    orderBy: { createdAt: "desc" },
  });
  expect(row).toMatchObject({ role: "DEVELOPER" });
  expect(JSON.stringify(row)).not.toContain(token.slice(20));
  await expect(page.getByTestId("api-token-row").filter({ hasText: row.name })).toContainText("kubeconfig");
  expect(
    await apiServerGet(
      cluster?.server ?? "",
      "/apis/hosting.sitepod.io/v1alpha1/namespaces/demo/sites",
      token,
      caPem,
    ),
  ).toBe(200);

  // And the real kubectl, with nothing but the downloaded file: it lists the account's sites in
  // the context's namespace, and a namespace outside the account is not there for this token.
  const kubectl = path.join(clusterPaths().binDir, "kubectl");
  const kubeconfigPath = await download.path();
  const listed = await promisify(execFile)(kubectl, [
    "--kubeconfig",
    kubeconfigPath,
    "get",
    "sites",
    "-o",
    "json",
  ]);
  const sites = await prisma.site.findMany({ where: { accountId: demo.id }, select: { name: true } });
  const list = JSON.parse(listed.stdout) as { items: { metadata: { name: string; namespace: string } }[] };
  expect(list.items.map((i) => i.metadata.name).sort()).toEqual(sites.map((s) => s.name).sort());
  expect(new Set(list.items.map((i) => i.metadata.namespace))).toEqual(
    new Set(sites.length > 0 ? ["demo"] : []),
  );
  // Another tenant's namespace answers as an empty one would: nothing of theirs shows, not even that it exists.
  const foreign = await promisify(execFile)(kubectl, [
    "--kubeconfig",
    kubeconfigPath,
    "get",
    "sites",
    "--namespace",
    "pixel-agency",
    "-o",
    "json",
  ]);
  expect((JSON.parse(foreign.stdout) as { items: unknown[] }).items).toEqual([]);
});

test("a viewer may only create tokens no stronger than viewer", async ({ page }) => {
  const demo = await prisma.account.findUniqueOrThrow({ where: { slug: "demo" } });
  const email = `${uniqueName("token-viewer")}@example.test`;
  const { hashPassword } = await import("../lib/auth/password");
  await prisma.user.create({
    data: {
      email,
      name: "Token viewer",
      passwordHash: await hashPassword("viewer-password-123"),
      memberships: { create: { accountId: demo.id, role: "VIEWER" } },
    },
  });
  await signIn(page, { email, password: "viewer-password-123" });
  await page.goto("/accounts/demo/api-tokens");
  await expect(page.getByText("No API tokens yet")).toBeVisible();
  await screenshot(page, "api-tokens-empty");
  await page.getByRole("button", { name: "Create token" }).first().click();
  const dialog = page.getByRole("dialog");
  expect(await dialog.getByLabel("Role").locator("option").allTextContents()).toEqual(["Viewer"]);
  // Tokens of other members are not listed to a viewer.
  await expect(page.getByTestId("api-token-row")).toHaveCount(0);
});
