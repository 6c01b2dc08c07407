import type { Metadata } from "next";
import { ProfileFrame } from "@/components/profile/profile-frame";
import { PersonalOnlyNotice } from "@/components/support/personal-only-notice";
import { TwoFactorPanel } from "@/components/two-factor/two-factor-panel";
import { requirePageActor } from "@/lib/auth/session";
import { getTwoFactorStatus } from "@/lib/services/two-factor/get-two-factor-status";

export const metadata: Metadata = { title: "Two-factor sign-in · Your profile" };

/** The caller's own second factor. Open while an account requires it and it is not set up yet. */
export default async function TwoFactorPage() {
  const actor = await requirePageActor({ beforeTwoFactorSetup: true });
  if (actor.impersonation) {
    return (
      <ProfileFrame user={actor.user} active="two-factor">
        <PersonalOnlyNotice name={actor.user.name} what="their two-factor sign-in" />
      </ProfileFrame>
    );
  }
  const status = await getTwoFactorStatus({ actor });
  const mustEnrol = status.requiredBy.length > 0 && !status.enabled;
  return (
    <ProfileFrame user={actor.user} active="two-factor">
      <h2 className="text-lg font-semibold tracking-tight">Two-factor sign-in</h2>
      <p className="mt-1 mb-6 text-sm text-zinc-500 dark:text-zinc-400">
        A code from an app on your phone, asked for after your password.
      </p>
      {mustEnrol ? (
        <div
          role="alert"
          data-testid="two-factor-required"
          className="mb-6 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
        >
          {status.requiredBy.join(", ")} {status.requiredBy.length === 1 ? "requires" : "require"} two-factor
          sign-in. Set it up to continue using Sitepod.
        </div>
      ) : null}
      <TwoFactorPanel
        status={{
          enabled: status.enabled,
          enabledAt: status.enabledAt?.toISOString() ?? null,
          recoveryCodesLeft: status.recoveryCodesLeft,
          requiredBy: status.requiredBy,
        }}
      />
    </ProfileFrame>
  );
}
