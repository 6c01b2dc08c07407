import type { Metadata } from "next";
import { MembersPanel } from "@/components/members/members-panel";
import { PageHeader } from "@/components/page-header";
import { toJson } from "@/lib/api/json";
import { canInviteMembers, canRemoveMembers, canTransferOwnership } from "@/lib/authz/permissions";
import { listMembers } from "@/lib/services/membership/list-members";
import { loadAccount } from "../load-account";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, account } = await loadAccount(slug);
  const members = toJson(await listMembers({ actor, accountId: account.id }));
  return (
    <>
      <PageHeader title="Members" description="Who can work on this account, and with which role." />
      <MembersPanel
        account={account}
        members={members}
        currentUserId={actor.userId}
        can={{
          invite: canInviteMembers(account.role),
          remove: canRemoveMembers(account.role),
          transfer: canTransferOwnership(account.role),
        }}
      />
    </>
  );
}
