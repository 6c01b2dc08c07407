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

test("the OpenAPI document is served to anyone and lists the routes", async ({ request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  const doc = (await res.json()) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  expect(doc.openapi).toBe("3.1.0");
  const createSite = doc.paths["/api/v1/accounts/{accountId}/sites"]?.post;
  expect(createSite?.operationId).toBe("createSite");
  expect(createSite?.requestBody).toBeDefined();
  expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["bearerToken", "sessionCookie"]);
});

test("the API reference shows an operation's parameters, body and responses, and the tokens page links it", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/accounts/demo/api-tokens");
  await page.getByRole("link", { name: "the API reference" }).click();
  await expect(page).toHaveURL(/\/profile\/api-reference$/);
  await expect(page.getByRole("heading", { name: "Sites", level: 2 })).toBeVisible();
  const createSite = page.locator("details#createSite");
  await createSite.locator("summary").click();
  await expect(createSite.getByText("Request body (JSON)")).toBeVisible();
  await expect(createSite.getByText("domain", { exact: true })).toBeVisible();
  await expect(createSite.getByText("accountId", { exact: true })).toBeVisible();
  await expect(createSite.getByText("201", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "/api/v1/openapi.json" })).toHaveAttribute(
    "href",
    "/api/v1/openapi.json",
  );
});

/** What a browser on the panel's own page sends with a change: the API refuses changes without it. */
function fromPanel(baseURL: string | undefined): { origin: string } {
  return { origin: new URL(baseURL ?? "").origin };
}

test("the REST API creates, reads and deletes sites within the caller's accounts", async ({
  page,
  baseURL,
}) => {
  await signIn(page);
  const api = page.request;
  const headers = fromPanel(baseURL);

  const accounts = (await (await api.get("/api/v1/accounts")).json()) as {
    accounts: { id: string; slug: string }[];
  };
  const demo = accounts.accounts.find((a) => a.slug === "demo");
  expect(demo).toBeDefined();
  const sitesUrl = `/api/v1/accounts/${demo?.id}/sites`;

  const invalid = await api.post(sitesUrl, { headers, data: { name: "Bad Name", domain: "http://nope" } });
  expect(invalid.status()).toBe(400);
  const invalidBody = await invalid.json();
  expect(invalidBody.error.code).toBe("INVALID_INPUT");
  expect(Object.keys(invalidBody.error.fieldErrors).sort()).toEqual(["domain", "name"]);

  const name = uniqueName("api");
  const created = await api.post(sitesUrl, {
    headers,
    data: { name, domain: `${name}.example.test`, app: "PHP" },
  });
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

  const deleted = await api.delete(`/api/v1/sites/${site.id}`, { headers });
  expect(deleted.status()).toBe(202);
  expect(((await deleted.json()) as { site: { phase: string } }).site.phase).toBe("DELETING");
  await expect
    .poll(async () => (await api.get(`/api/v1/sites/${site.id}`)).status(), { timeout: 90_000 })
    .toBe(404);
});

interface SseEvent {
  event: string;
  id: string;
  data: string;
}

/** A minimal server-sent events reader over one response body. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";

  function takeFrame(): SseEvent | null {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end === -1) return null;
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        frame
          .split("\n")
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? "";
      if (field("data")) return { event: field("event") || "message", id: field("id"), data: field("data") };
    }
  }

  return {
    /** Events until one satisfies `done` (included), or until the deadline. */
    async until(done: (event: SseEvent) => boolean, timeoutMs: number): Promise<SseEvent[]> {
      const seen: SseEvent[] = [];
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const event = takeFrame();
        if (event) {
          seen.push(event);
          if (done(event)) return seen;
          continue;
        }
        const chunk = await Promise.race([
          reader.read(),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(0, deadline - Date.now()))),
        ]);
        if (!chunk || chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
      return seen;
    },
    close: () => reader.cancel().catch(() => undefined),
  };
}

test("the event stream delivers the caller's changes, with resourceVersions as event ids", async ({
  page,
  baseURL,
}) => {
  await signIn(page);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const abort = new AbortController();
  try {
    const res = await fetch(`${baseURL}/api/v1/events`, { headers: { cookie }, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    if (!res.body) throw new Error("no body");
    const stream = sseReader(res.body);
    const [ready] = await stream.until((e) => e.event === "ready", 10_000);
    expect(ready?.event).toBe("ready");
    const startedAt = BigInt(ready?.id ?? "0");

    const accounts = (await (await page.request.get("/api/v1/accounts")).json()) as {
      accounts: { id: string; slug: string }[];
    };
    const demoId = accounts.accounts.find((a) => a.slug === "demo")?.id;
    const name = uniqueName("sse");
    const created = await page.request.post(`/api/v1/accounts/${demoId}/sites`, {
      headers: fromPanel(baseURL),
      data: { name, domain: `${name}.example.test` },
    });
    const { site } = (await created.json()) as { site: { id: string } };

    const events = await stream.until(
      (e) => e.event === "change" && JSON.parse(e.data).objectId === site.id,
      15_000,
    );
    const change = events.find((e) => e.event === "change" && JSON.parse(e.data).objectId === site.id);
    expect(change, "a change event for the new site").toBeDefined();
    expect(JSON.parse(change?.data ?? "{}")).toMatchObject({
      kind: "Site",
      action: "CREATED",
      accountId: demoId,
    });
    expect(BigInt(change?.id ?? "0")).toBeGreaterThan(startedAt);
    await stream.close();
    await page.request.delete(`/api/v1/sites/${site.id}`, { headers: fromPanel(baseURL) });
  } finally {
    abort.abort();
  }
});
