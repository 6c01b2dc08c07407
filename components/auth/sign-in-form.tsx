"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useEffect, useState } from "react";
import { CodeInput } from "@/components/two-factor/code-input";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { TOO_MANY_ATTEMPTS } from "@/lib/auth/sign-in-throttle";
import {
  INVALID_TWO_FACTOR_CODE,
  TWO_FACTOR_INVALID,
  TWO_FACTOR_REQUIRED,
} from "@/lib/auth/two-factor-errors";

const INCORRECT = "Incorrect email or password.";

function messageFor(error: string | null | undefined): string {
  if (error === "CredentialsSignin") return INCORRECT;
  if (error === TOO_MANY_ATTEMPTS)
    return "Too many failed sign-ins from here. Wait a few minutes, then try again.";
  if (error === TWO_FACTOR_INVALID) return INVALID_TWO_FACTOR_CODE;
  return "Signing in is not possible right now. Please try again in a moment.";
}

export function SignInForm({
  callbackUrl,
  canResetPassword = false,
  notice = null,
}: {
  callbackUrl: string;
  /** Sitepod can mail a reset link (SITEPOD_SMTP_URL is set): offer "Forgot your password?". */
  canResetPassword?: boolean;
  /** Something that went well before (the password was just reset), shown above the fields. */
  notice?: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until the script runs, a submit would be the browser's own: the button waits for it.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  // After a right password for a user with two-factor sign-in: ask for the code, keep the rest.
  const [needsCode, setNeedsCode] = useState(false);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email,
        password,
        ...(needsCode
          ? {
              code: String(form.get("code") ?? ""),
              rememberDevice: form.get("rememberDevice") === "on" ? "true" : "false",
            }
          : {}),
        redirect: false,
      });
      if (result?.error === TWO_FACTOR_REQUIRED) {
        setNeedsCode(true);
        setPending(false);
        return;
      }
      if (!result || result.error || !result.ok) {
        // Unknown user and wrong password both arrive as CredentialsSignin and get the same words.
        setError(messageFor(result?.error));
        setPending(false);
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
      setPending(false);
    }
  }

  function startOver() {
    setNeedsCode(false);
    setError(null);
    setPassword("");
  }

  return (
    // method="post": should the browser ever submit the form itself, the credentials go in the
    // body, never in the address (a form's default method is GET).
    <form onSubmit={onSubmit} method="post" className="space-y-5" noValidate>
      {notice && !error ? (
        <div
          role="status"
          data-testid="sign-in-notice"
          className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2.5 text-sm text-emerald-800 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200"
        >
          {notice}
        </div>
      ) : null}
      {error ? (
        <div
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-700 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300"
        >
          {error}
        </div>
      ) : null}
      {needsCode ? (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            Two-factor sign-in is on for <span className="font-medium">{email}</span>. Enter the 6-digit code
            from your authenticator app, or one of your recovery codes.
          </p>
          <CodeInput id="code" label="Authentication code" autoFocus />
          <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
            <input
              type="checkbox"
              name="rememberDevice"
              className="size-4 rounded border-zinc-300 accent-brand-600"
            />
            Remember this device for 30 days
          </label>
          <Button type="submit" className="w-full" pending={pending} disabled={!ready}>
            Verify and sign in
          </Button>
          <button
            type="button"
            onClick={startOver}
            className="w-full text-center text-sm text-zinc-600 underline-offset-2 hover:underline dark:text-zinc-400"
          >
            Use another account
          </button>
        </>
      ) : (
        <>
          <Field id="email" label="Email">
            <Input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <Field id="password" label="Password">
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          {canResetPassword ? (
            <p className="-mt-2 text-right">
              <Link
                href="/forgot-password"
                className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-400"
              >
                Forgot your password?
              </Link>
            </p>
          ) : null}
          <Button type="submit" className="w-full" pending={pending} disabled={!ready}>
            Sign in
          </Button>
        </>
      )}
    </form>
  );
}
