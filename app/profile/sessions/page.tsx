import type { Metadata } from "next";
import { ProfileFrame } from "@/components/profile/profile-frame";
import { PersonalOnlyNotice } from "@/components/support/personal-only-notice";
import { SessionsPanel } from "@/components/profile/sessions-panel";
import { requirePageActor } from "@/lib/auth/session";
import { listUserSessions } from "@/lib/services/session/list-user-sessions";

export const metadata: Metadata = { title: "Sessions · Your profile" };

export default async function SessionsPage() {
  const actor = await requirePageActor();
  if (actor.impersonation) {
    return (
      <ProfileFrame user={actor.user} active="sessions">
        <PersonalOnlyNotice name={actor.user.name} what="their sessions" />
      </ProfileFrame>
    );
  }
  const sessions = await listUserSessions({ actor });
  return (
    <ProfileFrame user={actor.user} active="sessions">
      <SessionsPanel sessions={sessions} />
    </ProfileFrame>
  );
}
