import { afterEach, describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";

const saved = process.env.NEXTAUTH_URL;
afterEach(() => {
  process.env.NEXTAUTH_URL = saved;
});

describe("authOptions cookies", () => {
  it("are Secure (__Secure-/__Host- prefixed by next-auth) when the panel is served over https", () => {
    process.env.NEXTAUTH_URL = "https://panel.example.com";
    expect(authOptions.useSecureCookies).toBe(true);
  });

  it("are plain on a local http panel, where browsers would drop Secure cookies", () => {
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    expect(authOptions.useSecureCookies).toBe(false);
  });
});

describe("authOptions redirect callback", () => {
  const redirect = (url: string) => {
    const callback = authOptions.callbacks?.redirect;
    if (!callback) throw new Error("no redirect callback");
    return callback({ url, baseUrl: "https://panel.example.com" });
  };

  it("keeps the panel's own paths and URLs", async () => {
    expect(await redirect("/sign-in")).toBe("https://panel.example.com/sign-in");
    expect(await redirect("https://panel.example.com/invite/abc")).toBe(
      "https://panel.example.com/invite/abc",
    );
  });

  it("sends everything else to the panel's start page", async () => {
    for (const url of [
      "https://evil.example/",
      "//evil.example",
      "/\t/evil.example",
      "/\u3000/x",
      "/%E0%A4%A",
    ]) {
      expect(await redirect(url), JSON.stringify(url)).toBe("https://panel.example.com/");
    }
  });
});
