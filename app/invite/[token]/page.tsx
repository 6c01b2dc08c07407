import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvite } from "@/components/invite/accept-invite";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { LogoMark } from "@/components/ui/icons";
import { getSessionUser } from "@/lib/auth/session";
import { getInvite } from "@/lib/services/membership/get-invite";

export const metadata: Metadata = { title: "Invitation" };

const ROLE_LABELS = { OWNER: "owner", ADMIN: "admin", DEVELOPER: "developer", VIEWER: "viewer" } as const;

/**
 * Open to anonymous visitors (proxy.ts lets /invite/ through): the invitee may have no user yet.
 * Accepting always goes through a server action that requires a session.
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invite, user] = await Promise.all([getInvite({ token }), getSessionUser()]);
  return (
    <main
      id="main-content"
      tabIndex={-1}
      className="flex min-h-screen flex-col items-center justify-center px-4 py-12 outline-none"
    >
      <div className="absolute top-4 right-4">
        <ThemeToggle />
      </div>
      <div className="w-full max-w-md">
        <div className="mb-8 flex flex-col items-center text-center">
          <LogoMark className="size-11" />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">
            {invite ? `Join ${invite.accountName}` : "Invitation not valid"}
          </h1>
          <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
            {invite
              ? `You are invited as ${ROLE_LABELS[invite.role]}.`
              : "This invitation link is not valid or has expired. Ask for a new one."}
          </p>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {invite ? (
            <AcceptInvite
              token={token}
              accountName={invite.accountName}
              registered={invite.registered}
              user={user}
            />
          ) : (
            <Link href="/" className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
              Go to Sitepod
            </Link>
          )}
        </div>
      </div>
    </main>
  );
}
