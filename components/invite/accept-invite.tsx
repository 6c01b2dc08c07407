"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { type FormEvent, useState, useTransition } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { acceptInviteAction } from "@/lib/actions/membership/accept-invite-action";
import { registerUserAction } from "@/lib/actions/user/register-user-action";
import type { SessionUser } from "@/lib/auth/session";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/user";

function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-700 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300"
    >
      {message}
    </div>
  );
}

/**
 * After registering, and for a link already used to register: the invitee signs in, then accepts.
 * The words are the same whether the email was new or already had a user (registerUser answers
 * both alike), so the page does not reveal who has an account.
 */
function SignInToAccept({
  signInHref,
  accountName,
  email,
}: {
  signInHref: string;
  accountName: string;
  email: string | null;
}) {
  return (
    <div className="space-y-4">
      <div role="status" className="space-y-2 text-sm text-zinc-600 dark:text-zinc-400">
        <p className="font-medium text-zinc-900 dark:text-zinc-100">Sign in to accept the invitation.</p>
        <p>
          {email ? (
            <>
              Sign in as <span className="font-medium text-zinc-900 dark:text-zinc-100">{email}</span>
            </>
          ) : (
            "Sign in with the user created through this link"
          )}
          , then accept to join {accountName}. If you already had a user with this email, sign in with its
          existing password.
        </p>
      </div>
      <Link href={signInHref} className={buttonClasses("primary", "md", "w-full")}>
        Sign in to accept
      </Link>
    </div>
  );
}

export function AcceptInvite({
  token,
  accountName,
  registered,
  user,
}: {
  token: string;
  accountName: string;
  /** The link was already used to register a user. */
  registered: boolean;
  user: SessionUser | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [registeredAs, setRegisteredAs] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  /** Accepts as the signed-in user and opens the account joined. */
  async function accept(): Promise<boolean> {
    const result = await acceptInviteAction({ token });
    if (!result.ok) {
      setError(result.message);
      return false;
    }
    toast.show({ tone: "success", title: `Welcome to ${result.data.accountName}`, acrossNavigation: true });
    router.replace(result.data.accountSlug ? `/accounts/${result.data.accountSlug}` : "/");
    router.refresh();
    return true;
  }

  if (user) {
    return (
      <div className="space-y-4">
        <FormAlert message={error} />
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Signed in as <span className="font-medium text-zinc-900 dark:text-zinc-100">{user.email}</span>.
        </p>
        <Button
          className="w-full"
          pending={pending}
          onClick={() => startTransition(async () => void (await accept()))}
        >
          Accept and open {accountName}
        </Button>
        <button
          type="button"
          onClick={() => void signOut({ callbackUrl: `/invite/${token}` })}
          className="w-full text-center text-sm text-zinc-500 hover:underline dark:text-zinc-400"
        >
          Not you? Sign out
        </button>
      </div>
    );
  }

  function onRegister(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      setError(null);
      const result = await registerUserAction({
        token,
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setError(unplacedError(result, ["name", "email", "password"]));
        return;
      }
      setErrors({});
      setRegisteredAs(result.data.email);
    });
  }

  const signInHref = `/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`;
  if (registered || registeredAs) {
    return <SignInToAccept signInHref={signInHref} accountName={accountName} email={registeredAs} />;
  }
  return (
    <div className="space-y-5">
      <Link href={signInHref} className={buttonClasses("secondary", "md", "w-full")}>
        I have a user: sign in
      </Link>
      <div className="flex items-center gap-3 text-xs text-zinc-500 uppercase dark:text-zinc-400">
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
        or create one
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
      </div>
      <form onSubmit={onRegister} noValidate className="space-y-4" aria-label="Create your user">
        <FormAlert message={error} />
        <Field id="name" label="Your name" error={errors.name}>
          <Input id="name" name="name" autoComplete="name" invalid={Boolean(errors.name)} />
        </Field>
        <Field id="email" label="Email" error={errors.email}>
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            invalid={Boolean(errors.email)}
          />
        </Field>
        <Field
          id="password"
          label="Password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          error={errors.password}
        >
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            invalid={Boolean(errors.password)}
          />
        </Field>
        <Button type="submit" className="w-full" pending={pending}>
          Create user
        </Button>
      </form>
    </div>
  );
}
