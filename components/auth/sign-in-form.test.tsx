/**
 * The sign-in form as the server renders it, before the page's script runs: a submit then must
 * never send the email and password in the address (a form's default method is GET), so the form
 * posts and its button stays disabled until the script has taken over.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { SignInForm } from "./sign-in-form";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: () => {}, refresh: () => {} }) }));
vi.mock("next-auth/react", () => ({ signIn: async () => ({ ok: true }) }));

describe("the sign-in form before the page's script runs", () => {
  const html = renderToStaticMarkup(<SignInForm callbackUrl="/" />);

  it("posts, so the credentials never land in the address bar, history or logs", () => {
    expect(html).toMatch(/<form[^>]*method="post"/);
  });

  it("keeps its submit button disabled until the script handles the submit", () => {
    expect(html).toMatch(/<button type="submit"[^>]*disabled=""/);
  });

  it("offers a reset link only where Sitepod can mail one", () => {
    expect(html).not.toContain("Forgot your password?");
    const withMail = renderToStaticMarkup(<SignInForm callbackUrl="/" canResetPassword />);
    expect(withMail).toMatch(/<a[^>]*href="\/forgot-password"[^>]*>Forgot your password\?<\/a>/);
  });
});
