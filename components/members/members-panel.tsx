"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { LocalTime } from "@/components/sites/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyLink, inviteUrl } from "@/components/ui/copy-link";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { UsersIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { createInviteAction } from "@/lib/actions/membership/create-invite-action";
import { removeMemberAction } from "@/lib/actions/membership/remove-member-action";
import { transferOwnershipAction } from "@/lib/actions/membership/transfer-ownership-action";
import type { AccountJson, Jsonify } from "@/lib/api/json";
import type { MembersView, MemberView } from "@/lib/services/membership/list-members";
import { INVITABLE_ROLES } from "@/lib/validation/membership";

const ROLE_LABELS = { OWNER: "Owner", ADMIN: "Admin", DEVELOPER: "Developer", VIEWER: "Viewer" } as const;

type Member = Jsonify<MemberView>;

export function MembersPanel({
  account,
  members,
  currentUserId,
  can,
}: {
  account: AccountJson;
  members: Jsonify<MembersView>;
  currentUserId: string;
  can: { invite: boolean; remove: boolean; transfer: boolean };
}) {
  const router = useRouter();
  const toast = useToast();
  const [removing, setRemoving] = useState<Member | null>(null);
  const [transferring, setTransferring] = useState<Member | null>(null);

  return (
    <div className="space-y-6">
      {can.invite ? <InviteForm account={account} onCreated={() => router.refresh()} /> : null}
      <Card>
        <CardHeader
          title="Members"
          description={`${members.members.length} ${members.members.length === 1 ? "member" : "members"} of ${account.name}`}
        />
        {members.members.length === 0 ? (
          <EmptyState
            icon={<UsersIcon className="size-6" />}
            title="No members yet"
            description="Invite someone with a link: they join with the role you choose."
          />
        ) : (
          <Table label="Members">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Member since</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <TBody>
              {members.members.map((member) => (
                <tr key={member.userId} data-testid="member-row" data-email={member.email}>
                  <Td className="font-medium text-zinc-900 dark:text-zinc-100">
                    {member.name}
                    {member.userId === currentUserId ? (
                      <span className="ml-2 text-xs text-zinc-500">(you)</span>
                    ) : null}
                  </Td>
                  <Td>{member.email}</Td>
                  <Td>
                    <Badge tone={member.role === "OWNER" ? "info" : "neutral"}>
                      {ROLE_LABELS[member.role]}
                    </Badge>
                  </Td>
                  <Td className="text-zinc-500 dark:text-zinc-400">
                    <LocalTime iso={member.createdAt} />
                  </Td>
                  <Td className="text-right">
                    <div className="flex justify-end gap-2">
                      {can.transfer && member.role !== "OWNER" ? (
                        <Button size="sm" variant="ghost" onClick={() => setTransferring(member)}>
                          Make owner
                        </Button>
                      ) : null}
                      {can.remove && member.role !== "OWNER" && member.userId !== currentUserId ? (
                        <Button size="sm" variant="ghost" onClick={() => setRemoving(member)}>
                          Remove
                        </Button>
                      ) : null}
                    </div>
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {can.invite ? (
        <Card>
          <CardHeader
            title="Pending invitations"
            description="Links not used yet; each expires after 7 days."
          />
          {members.pendingInvites.length === 0 ? (
            <CardBody>
              <p className="text-sm text-zinc-500 dark:text-zinc-400">No pending invitations.</p>
            </CardBody>
          ) : (
            <Table label="Pending invitations">
              <thead>
                <tr>
                  <Th>For</Th>
                  <Th>Role</Th>
                  <Th>Expires</Th>
                </tr>
              </thead>
              <TBody>
                {members.pendingInvites.map((invite) => (
                  <tr key={invite.id} data-testid="invite-row">
                    <Td>{invite.email ?? "Anyone with the link"}</Td>
                    <Td>{ROLE_LABELS[invite.role]}</Td>
                    <Td className="text-zinc-500 dark:text-zinc-400">
                      <LocalTime iso={invite.expiresAt} />
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing?.name ?? ""}?`}
        description={`${removing?.email ?? ""} loses access to ${account.name} and the accounts below it.`}
        confirmLabel="Remove member"
        danger
        onConfirm={async () => {
          if (!removing) return null;
          const result = await removeMemberAction({ accountId: account.id, userId: removing.userId });
          if (!result.ok) return result.message;
          toast.show({ tone: "success", title: `${removing.name} removed` });
          router.refresh();
          return null;
        }}
      />
      <ConfirmDialog
        open={transferring !== null}
        onClose={() => setTransferring(null)}
        title={`Make ${transferring?.name ?? ""} the owner?`}
        description={`${transferring?.email ?? ""} becomes the owner of ${account.name}; you become an admin. Only the new owner can undo this.`}
        confirmLabel="Transfer ownership"
        danger
        onConfirm={async () => {
          if (!transferring) return null;
          const result = await transferOwnershipAction({
            accountId: account.id,
            userId: transferring.userId,
          });
          if (!result.ok) return result.message;
          toast.show({ tone: "success", title: `${transferring.name} is now the owner` });
          router.refresh();
          return null;
        }}
      />
    </div>
  );
}

function InviteForm({ account, onCreated }: { account: AccountJson; onCreated: () => void }) {
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    startTransition(async () => {
      const result = await createInviteAction({
        accountId: account.id,
        role: String(form.get("role") ?? ""),
        email: String(form.get("email") ?? ""),
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        const unplaced = unplacedError(result, ["email", "role"]);
        if (unplaced) toast.show({ tone: "error", title: "Could not invite", description: unplaced });
        return;
      }
      setErrors({});
      setLink(inviteUrl(result.data.token));
      target.reset();
      toast.show({ tone: "success", title: "Invitation link created" });
      onCreated();
    });
  }

  return (
    <Card>
      <CardHeader
        title="Invite a member"
        description="Create a link; whoever opens it joins with the role you choose."
      />
      <CardBody className="space-y-4">
        <form onSubmit={onSubmit} noValidate className="grid items-start gap-4 sm:grid-cols-[1fr_12rem_auto]">
          <Field
            id="invite-email"
            label="Email (optional)"
            hint="A note of who the link is for."
            error={errors.email}
          >
            <Input
              id="invite-email"
              name="email"
              type="email"
              autoComplete="off"
              invalid={Boolean(errors.email)}
            />
          </Field>
          <Field id="invite-role" label="Role" error={errors.role}>
            <Select id="invite-role" name="role" defaultValue="DEVELOPER" invalid={Boolean(errors.role)}>
              {INVITABLE_ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </Select>
          </Field>
          <div className="sm:pt-7">
            <Button type="submit" pending={pending}>
              Create link
            </Button>
          </div>
        </form>
        {link ? <CopyLink url={link} label="Send this link to the person you invite" /> : null}
      </CardBody>
    </Card>
  );
}
