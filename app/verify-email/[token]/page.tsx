import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ConfirmEmail } from "@/components/auth/confirm-email";
import { getSessionUser } from "@/lib/auth/session";
import { getEmailLink } from "@/lib/services/user/get-email-link";
import { INVALID_CONFIRMATION_LINK } from "@/lib/services/user/verify-email";

export const metadata: Metadata = { title: "Confirm your email address" };

/** Open to anonymous visitors (proxy.ts): the link's token proves the mailbox, signed in or not. */
export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [link, user] = await Promise.all([
    getEmailLink({ token, purpose: "VERIFY_EMAIL" }),
    getSessionUser(),
  ]);
  if (!link) {
    return (
      <AuthCard title="Link not valid" description={INVALID_CONFIRMATION_LINK}>
        <Link
          href={user ? "/profile" : "/sign-in"}
          className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-400"
        >
          {user ? "Go to your profile" : "Go to the sign-in page"}
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={link.changesEmail ? "Confirm your new email address" : "Confirm your email address"}
      description={link.email}
    >
      <ConfirmEmail
        token={token}
        email={link.email}
        changesEmail={link.changesEmail}
        signedIn={user !== null}
      />
    </AuthCard>
  );
}
