import type { Metadata } from "next";
import { ProfileFrame } from "@/components/profile/profile-frame";
import { SessionsPanel } from "@/components/profile/sessions-panel";
import { requirePageActor } from "@/lib/auth/session";
import { listUserSessions } from "@/lib/services/session/list-user-sessions";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  const actor = await requirePageActor();
  const sessions = await listUserSessions({ actor });
  return (
    <ProfileFrame user={actor.user} active="sessions">
      <SessionsPanel sessions={sessions} />
    </ProfileFrame>
  );
}
