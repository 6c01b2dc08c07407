import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { getEmailLink } from "@/lib/services/user/get-email-link";
import { INVALID_RESET_LINK } from "@/lib/services/user/reset-password";

export const metadata: Metadata = { title: "Choose a new password" };

/**
 * Open to anonymous visitors (proxy.ts): the link's token is what entitles. Opening the page uses
 * nothing up; the form does.
 */
export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await getEmailLink({ token, purpose: "PASSWORD_RESET" });
  if (!link) {
    return (
      <AuthCard title="Link not valid" description={INVALID_RESET_LINK}>
        <div className="flex justify-between gap-4 text-sm font-medium">
          <Link href="/forgot-password" className="text-brand-700 hover:underline dark:text-brand-400">
            Ask for a new link
          </Link>
          <Link href="/sign-in" className="text-brand-700 hover:underline dark:text-brand-400">
            Back to sign-in
          </Link>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" description={`For ${link.email}`}>
      <ResetPasswordForm token={token} email={link.email} />
    </AuthCard>
  );
}
