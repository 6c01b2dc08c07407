import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/profile/change-password-form";
import { ProfileFrame } from "@/components/profile/profile-frame";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Password" };

export default async function PasswordPage() {
  const actor = await requirePageActor();
  return (
    <ProfileFrame user={actor.user} active="password">
      <ChangePasswordForm />
    </ProfileFrame>
  );
}
