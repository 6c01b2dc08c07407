import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { getSessionUser } from "@/lib/auth/session";
import { MAIL_NOT_CONFIGURED, mailConfigured } from "@/lib/mail/send-mail";

export const metadata: Metadata = { title: "Forgot your password?" };
// Whether mail can be sent is read at request time (SITEPOD_SMTP_URL), not at build time.
export const dynamic = "force-dynamic";

/** Open to anonymous visitors (proxy.ts): whoever forgot their password is not signed in. */
export default async function ForgotPasswordPage() {
  // Signed in already: the password is changed on the profile page, with the current one.
  if (await getSessionUser()) redirect("/profile/password");
  return (
    <AuthCard
      title="Forgot your password?"
      description="Type the email address you sign in with; we mail you a link to choose a new password."
    >
      {mailConfigured() ? (
        <ForgotPasswordForm />
      ) : (
        <div className="space-y-4 text-sm text-zinc-600 dark:text-zinc-400">
          <p role="alert">{MAIL_NOT_CONFIGURED}</p>
          <Link href="/sign-in" className="font-medium text-brand-700 hover:underline dark:text-brand-400">
            Back to sign-in
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
