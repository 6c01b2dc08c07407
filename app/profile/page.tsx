import type { Metadata } from "next";
import { EmailCard } from "@/components/profile/email-card";
import { ProfileFrame } from "@/components/profile/profile-frame";
import { PersonalOnlyNotice } from "@/components/support/personal-only-notice";
import { ProfileNameForm } from "@/components/profile/profile-name-form";
import { requirePageActor } from "@/lib/auth/session";
import { getProfile } from "@/lib/services/user/get-profile";

export const metadata: Metadata = { title: "Profile · Your profile" };

/** The caller's name and email address (confirmed or not, and a change waiting for confirmation). */
export default async function ProfilePage() {
  const actor = await requirePageActor();
  if (actor.impersonation) {
    return (
      <ProfileFrame user={actor.user} active="profile">
        <PersonalOnlyNotice name={actor.user.name} what="their profile" />
      </ProfileFrame>
    );
  }
  const profile = await getProfile({ actor });
  return (
    <ProfileFrame user={actor.user} active="profile">
      <div className="space-y-6">
        <ProfileNameForm name={profile.name} />
        <EmailCard profile={profile} />
      </div>
    </ProfileFrame>
  );
}
