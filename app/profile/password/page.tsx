import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/profile/change-password-form";
import { ProfileFrame } from "@/components/profile/profile-frame";
import { PersonalOnlyNotice } from "@/components/support/personal-only-notice";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Password · Your profile" };

export default async function PasswordPage() {
  const actor = await requirePageActor();
  return (
    <ProfileFrame user={actor.user} active="password">
      {actor.impersonation ? (
        <PersonalOnlyNotice name={actor.user.name} what="their password" />
      ) : (
        <ChangePasswordForm />
      )}
    </ProfileFrame>
  );
}
