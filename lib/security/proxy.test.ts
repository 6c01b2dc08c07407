import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

const saved = { url: process.env.NEXTAUTH_URL, secret: process.env.NEXTAUTH_SECRET };
beforeEach(() => {
  process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret-00";
});
afterEach(() => {
  process.env.NEXTAUTH_URL = saved.url;
  process.env.NEXTAUTH_SECRET = saved.secret;
});

const get = (url: string) => proxy(new NextRequest(url));

describe("proxy", () => {
  it("gives a page a CSP with a nonce, and hands both to the render through the request", async () => {
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    const res = await get("http://127.0.0.1:3000/sign-in");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    // NextResponse.next({ request }) passes request headers on as x-middleware-request-*.
    expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    const again = await get("http://127.0.0.1:3000/sign-in");
    expect(again.headers.get("content-security-policy")).not.toBe(csp);
  });

  it("sends HSTS only when the panel is served over https", async () => {
    process.env.NEXTAUTH_URL = "https://panel.example.com";
    for (const url of ["https://panel.example.com/sign-in", "https://panel.example.com/api/v1/accounts"]) {
      expect((await get(url)).headers.get("strict-transport-security"), url).toBe(
        "max-age=63072000; includeSubDomains",
      );
    }
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    expect((await get("http://127.0.0.1:3000/sign-in")).headers.get("strict-transport-security")).toBeNull();
  });

  it("sends anonymous visitors of protected pages to sign-in, and lets open pages render", async () => {
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    const res = await get("http://127.0.0.1:3000/accounts/demo/sites?x=1");
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get("location") ?? "");
    expect(`${location.pathname}${location.search}`).toBe(
      "/sign-in?callbackUrl=%2Faccounts%2Fdemo%2Fsites%3Fx%3D1",
    );
    // Only these pages: a look-alike path is protected.
    expect((await get("http://127.0.0.1:3000/forgot-password-now")).status).toBe(307);
    for (const path of [
      "/sign-in",
      "/invite/abc",
      "/forgot-password",
      "/reset-password/abc",
      "/verify-email/abc",
    ]) {
      const open = await get(`http://127.0.0.1:3000${path}`);
      expect(open.headers.get("location"), path).toBeNull();
      expect(open.headers.get("content-security-policy"), path).toContain("'nonce-");
    }
  });

  it("answers 400 to a sign-in link whose callbackUrl is not a path of the panel, and leaves the panel's own alone", async () => {
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    for (const crafted of [
      "%2F%09%2Fevil.example",
      "%2F%5Cevil.example",
      "%2F%2Fevil.example",
      "https%3A%2F%2Fevil.example",
      "%0A",
      "%2F%E3%80%80%2Fevil.example",
      "%2Faccounts%2F%25E0%25A4%25A",
    ]) {
      const res = await get(`http://127.0.0.1:3000/sign-in?callbackUrl=${crafted}`);
      expect(res.status, crafted).toBe(400);
      expect(await res.text(), crafted).toContain("This sign-in link is not valid");
    }
    const own = await get("http://127.0.0.1:3000/sign-in?callbackUrl=%2Faccounts%2Fdemo%2Fsites");
    expect(own.status).toBe(200);
  });

  it("builds the sign-in redirect from the panel's URL, never from the Host header a client sends", async () => {
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    const own = await proxy(
      new NextRequest("http://127.0.0.1:3000/accounts/demo/sites", { headers: { host: "127.0.0.1:3000" } }),
    );
    expect(own.status).toBe(307);
    expect(own.headers.get("location")).toBe(
      "http://127.0.0.1:3000/sign-in?callbackUrl=%2Faccounts%2Fdemo%2Fsites",
    );
    // Another name (a reseller's own panel hostname, or a forged Host): the sign-in page on the name
    // the request was made to (Next.js makes that a relative Location); nothing taken from the header.
    const other = await proxy(
      new NextRequest("http://127.0.0.1:3000/accounts/demo/sites", { headers: { host: "evil.example" } }),
    );
    expect(other.status).toBe(307);
    const location = other.headers.get("location") ?? "";
    const url = new URL(location);
    expect(`${url.pathname}${url.search}`).toBe("/sign-in?callbackUrl=%2Faccounts%2Fdemo%2Fsites");
    expect(location).not.toContain("evil.example");
  });

  it("answers 400 to a path with a malformed %-escape, as JSON on the API", async () => {
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    const page = await get("http://127.0.0.1:3000/accounts/%E0%A4%A");
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("malformed");
    const api = await get("http://127.0.0.1:3000/api/v1/sites/%E0%A4%A");
    expect(api.status).toBe(400);
    expect((await api.json()).error.code).toBe("INVALID_INPUT");
  });
});
