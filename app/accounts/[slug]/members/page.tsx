import { MembersPanel } from "@/components/members/members-panel";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { LiveRefresh } from "@/components/shell/live-refresh";
import { toJson } from "@/lib/api/json";
import {
  canImpersonateUsers,
  canInviteMembers,
  canRemoveMembers,
  canTransferOwnership,
} from "@/lib/authz/permissions";
import { sectionTitle } from "@/lib/glossary";
import { mailConfigured } from "@/lib/mail/send-mail";
import { listMembers } from "@/lib/services/membership/list-members";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("members");

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  const members = toJson(await listMembers({ actor, accountId: account.id }));
  // The operator (owner or admin of the platform, not in a support session already) may sign in as
  // the members of an account below the platform; never as the platform's own members.
  const platform = accounts.find((a) => a.kind === "PLATFORM" && a.parentId === null);
  const canSignInAs =
    !actor.impersonation &&
    account.kind !== "PLATFORM" &&
    platform !== undefined &&
    canImpersonateUsers(platform.role);
  return (
    <>
      <PageHeader
        title={sectionTitle("members", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "members")}
        description="Who can work on this account, and with which role."
      />
      {/* Live: an invitation accepted, a member removed or renamed elsewhere shows without a reload. */}
      <LiveRefresh kinds={["Membership", "Invite", "User"]} />
      <MembersPanel
        account={account}
        members={members}
        currentUserId={actor.userId}
        canSendMail={mailConfigured()}
        can={{
          invite: canInviteMembers(account.role),
          remove: canRemoveMembers(account.role),
          transfer: canTransferOwnership(account.role),
        }}
        canSignInAs={canSignInAs}
      />
    </>
  );
}
