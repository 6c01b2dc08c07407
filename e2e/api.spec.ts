import { expect, test } from "@playwright/test";
import { e2ePrisma, signIn, uniqueName } from "./support/helpers";

const prisma = e2ePrisma();
test.afterAll(async () => {
  await prisma.$disconnect();
});

test("the REST API and the event stream refuse anonymous callers", async ({ request }) => {
  for (const path of [
    "/api/v1/accounts",
    "/api/v1/accounts/abc/sites",
    "/api/v1/sites/abc",
    "/api/v1/events",
  ]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(401);
    expect((await res.json()).error.code, path).toBe("UNAUTHENTICATED");
  }
  const post = await request.post("/api/v1/accounts/abc/sites", {
    data: { name: "x", domain: "x.example.test" },
  });
  expect(post.status()).toBe(401);
});

test("the REST API creates, reads and deletes sites within the caller's accounts", async ({ page }) => {
  await signIn(page);
  const api = page.request;

  const accounts = (await (await api.get("/api/v1/accounts")).json()) as {
    accounts: { id: string; slug: string }[];
  };
  const demo = accounts.accounts.find((a) => a.slug === "demo");
  expect(demo).toBeDefined();
  const sitesUrl = `/api/v1/accounts/${demo?.id}/sites`;

  const invalid = await api.post(sitesUrl, { data: { name: "Bad Name", domain: "http://nope" } });
  expect(invalid.status()).toBe(400);
  const invalidBody = await invalid.json();
  expect(invalidBody.error.code).toBe("INVALID_INPUT");
  expect(Object.keys(invalidBody.error.fieldErrors).sort()).toEqual(["domain", "name"]);

  const name = uniqueName("api");
  const created = await api.post(sitesUrl, { data: { name, domain: `${name}.example.test`, app: "PHP" } });
  expect(created.status()).toBe(201);
  const { site } = (await created.json()) as {
    site: { id: string; name: string; phase: string; app: string };
  };
  expect(site).toMatchObject({ name, phase: "PROVISIONING", app: "PHP" });

  const listed = (await (await api.get(sitesUrl)).json()) as { sites: { id: string }[] };
  expect(listed.sites.map((s) => s.id)).toContain(site.id);
  expect((await api.get(`/api/v1/sites/${site.id}`)).status()).toBe(200);

  // An account the demo user does not belong to answers 404, as if it did not exist.
  const platform = await prisma.account.findUniqueOrThrow({ where: { slug: "platform" } });
  expect((await api.get(`/api/v1/accounts/${platform.id}/sites`)).status()).toBe(404);
  expect((await api.get("/api/v1/sites/doesnotexist")).status()).toBe(404);

  const deleted = await api.delete(`/api/v1/sites/${site.id}`);
  expect(deleted.status()).toBe(202);
  expect(((await deleted.json()) as { site: { phase: string } }).site.phase).toBe("DELETING");
  await expect
    .poll(async () => (await api.get(`/api/v1/sites/${site.id}`)).status(), { timeout: 90_000 })
    .toBe(404);
});
