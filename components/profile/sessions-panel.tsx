"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { LocalTime } from "@/components/sites/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { endOtherSessionsAction } from "@/lib/actions/user/end-other-sessions-action";
import { endSessionAction } from "@/lib/actions/user/end-session-action";
import type { UserSessionView } from "@/lib/services/session/list-user-sessions";

export function SessionsPanel({ sessions }: { sessions: UserSessionView[] }) {
  const router = useRouter();
  const toast = useToast();
  const [ending, setEnding] = useState<UserSessionView | null>(null);
  const [endingOthers, setEndingOthers] = useState(false);
  const others = sessions.filter((s) => !s.current).length;

  return (
    <Card>
      <CardHeader
        title="Active sessions"
        description="Browsers signed in as you. End any you do not recognise, then change your password."
      />
      <ul aria-label="Active sessions" className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
        {sessions.map((session) => (
          <li
            key={session.id}
            data-testid="session-row"
            data-current={session.current || undefined}
            className="flex flex-wrap items-center gap-x-6 gap-y-2 px-5 py-3 text-sm"
          >
            <div className="min-w-0 flex-1 basis-48">
              <div className="flex flex-wrap items-center gap-2 font-medium text-zinc-900 dark:text-zinc-100">
                {session.browser}
                {session.current ? <Badge tone="success">This session</Badge> : null}
              </div>
              <div className="text-xs text-zinc-500 dark:text-zinc-400">
                {session.ip ?? "Unknown address"}
              </div>
            </div>
            <div className="min-w-0 flex-1 basis-48 text-zinc-700 dark:text-zinc-300">
              <div>
                Last seen <LocalTime iso={session.lastSeenAt} />
              </div>
              <div className="text-xs text-zinc-500 dark:text-zinc-400">
                Signed in <LocalTime iso={session.createdAt} />
              </div>
            </div>
            <div className="w-16 text-right">
              {session.current ? null : (
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => setEnding(session)}
                  aria-label={`End the session of ${session.browser}${session.ip ? ` at ${session.ip}` : ""}`}
                >
                  End
                </Button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <CardBody className="border-t border-zinc-100 dark:border-zinc-800">
          <Button variant="secondary" onClick={() => setEndingOthers(true)}>
            End all other sessions
          </Button>
        </CardBody>
      ) : null}
      <ConfirmDialog
        open={ending !== null}
        onClose={() => setEnding(null)}
        title="End this session?"
        description={`${ending?.browser ?? ""}${ending?.ip ? ` at ${ending.ip}` : ""} is signed out at its next click.`}
        confirmLabel="End session"
        danger
        onConfirm={async () => {
          if (!ending) return null;
          const result = await endSessionAction({ sessionId: ending.id });
          if (!result.ok) return result.message;
          toast.show({ tone: "success", title: "Session ended" });
          router.refresh();
          return null;
        }}
      />
      <ConfirmDialog
        open={endingOthers}
        onClose={() => setEndingOthers(false)}
        title="End all other sessions?"
        description={`Every browser signed in as you but this one (${others}) is signed out at its next click.`}
        confirmLabel="End other sessions"
        danger
        onConfirm={async () => {
          const result = await endOtherSessionsAction({});
          if (!result.ok) return result.message;
          const { ended } = result.data;
          toast.show({ tone: "success", title: `${ended} ${ended === 1 ? "session" : "sessions"} ended` });
          router.refresh();
          return null;
        }}
      />
    </Card>
  );
}
