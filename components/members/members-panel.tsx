"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { LocalTime } from "@/components/sites/local-time";
import { SignInAsButton } from "@/components/support/sign-in-as-button";
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
import { resendInviteAction } from "@/lib/actions/membership/resend-invite-action";
import { revokeInviteAction } from "@/lib/actions/membership/revoke-invite-action";
import { transferOwnershipAction } from "@/lib/actions/membership/transfer-ownership-action";
import type { AccountJson, Jsonify } from "@/lib/api/json";
import { ROLE_LABELS } from "@/lib/glossary";
import type { InviteView } from "@/lib/services/membership/create-invite";
import type { MembersView, MemberView } from "@/lib/services/membership/list-members";
import { INVITABLE_ROLES } from "@/lib/validation/membership";

type Member = Jsonify<MemberView>;
type PendingInvite = Jsonify<InviteView>;

export function MembersPanel({
  account,
  members,
  currentUserId,
  canSendMail,
  can,
  canSignInAs = false,
}: {
  account: AccountJson;
  members: Jsonify<MembersView>;
  currentUserId: string;
  /** Sitepod has an SMTP server (SITEPOD_SMTP_URL); without one, invitations are links to copy. */
  canSendMail: boolean;
  can: { invite: boolean; remove: boolean; transfer: boolean };
  /** The platform operator may sign in as these members for support (the service decides for each). */
  canSignInAs?: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const [removing, setRemoving] = useState<Member | null>(null);
  const [transferring, setTransferring] = useState<Member | null>(null);
  const [revoking, setRevoking] = useState<PendingInvite | null>(null);
  const [resending, setResending] = useState<string | null>(null);
  const [resentLink, setResentLink] = useState<{ inviteId: string; url: string } | null>(null);

  async function resend(invite: PendingInvite) {
    setResending(invite.id);
    try {
      const result = await resendInviteAction({ accountId: account.id, inviteId: invite.id });
      if (!result.ok) {
        toast.show({ tone: "error", title: "Invitation not sent", description: result.message });
        return;
      }
      setResentLink({ inviteId: invite.id, url: inviteUrl(result.data.token) });
      toast.show({
        tone: "success",
        title: `Invitation sent again to ${invite.email ?? ""}`,
        description: "With a new link: the previous one no longer works.",
      });
      router.refresh();
    } finally {
      setResending(null);
    }
  }

  return (
    <div className="space-y-6">
      {can.invite ? (
        <InviteForm account={account} canSendMail={canSendMail} onCreated={() => router.refresh()} />
      ) : null}
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
          <Table label="Members" stack>
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
                  <Td cell="primary" className="font-medium text-zinc-900 dark:text-zinc-100">
                    {member.name}
                    {member.userId === currentUserId ? (
                      <span className="ml-2 text-xs text-zinc-600 dark:text-zinc-400">(you)</span>
                    ) : null}
                  </Td>
                  <Td label="Email">{member.email}</Td>
                  <Td label="Role">
                    <Badge tone={member.role === "OWNER" ? "info" : "neutral"}>
                      {ROLE_LABELS[member.role]}
                    </Badge>
                  </Td>
                  <Td label="Member since" className="text-zinc-500 dark:text-zinc-400">
                    <LocalTime iso={member.createdAt} />
                  </Td>
                  <Td cell="actions" className="text-right">
                    <div className="flex flex-wrap justify-end gap-2 max-sm:justify-start">
                      {canSignInAs && member.userId !== currentUserId ? (
                        <SignInAsButton
                          user={{ id: member.userId, name: member.name, email: member.email }}
                        />
                      ) : null}
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
            description={
              canSendMail
                ? "Not accepted yet. Each link works for 7 days; resending mails a new one."
                : "Links not used yet; each expires after 7 days."
            }
          />
          {members.pendingInvites.length === 0 ? (
            <CardBody>
              <p className="text-sm text-zinc-500 dark:text-zinc-400">No pending invitations.</p>
            </CardBody>
          ) : (
            <Table label="Pending invitations" stack>
              <thead>
                <tr>
                  <Th>For</Th>
                  <Th>Role</Th>
                  <Th>Expires</Th>
                  <Th>Emailed</Th>
                  <Th className="text-right">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <TBody>
                {members.pendingInvites.map((invite) => (
                  <tr key={invite.id} data-testid="invite-row" data-email={invite.email ?? undefined}>
                    <Td cell="primary">{invite.email ?? "Anyone with the link"}</Td>
                    <Td label="Role">{ROLE_LABELS[invite.role]}</Td>
                    <Td label="Expires" className="text-zinc-500 dark:text-zinc-400">
                      {new Date(invite.expiresAt).getTime() <= Date.now() ? (
                        <Badge tone="warning">Expired</Badge>
                      ) : (
                        <LocalTime iso={invite.expiresAt} />
                      )}
                    </Td>
                    <Td label="Emailed" className="text-zinc-500 dark:text-zinc-400">
                      {invite.emailedAt ? <LocalTime iso={invite.emailedAt} /> : "Not emailed"}
                    </Td>
                    <Td cell="actions" className="text-right">
                      <div className="flex flex-wrap justify-end gap-2 max-sm:justify-start">
                        {invite.email && canSendMail ? (
                          <Button
                            size="sm"
                            variant="ghost"
                            pending={resending === invite.id}
                            onClick={() => void resend(invite)}
                            aria-label={`Resend the invitation to ${invite.email}`}
                          >
                            {invite.emailedAt ? "Resend" : "Send"}
                          </Button>
                        ) : null}
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() => setRevoking(invite)}
                          aria-label={`Revoke the invitation ${invite.email ? `to ${invite.email}` : "by link"}`}
                        >
                          Revoke
                        </Button>
                      </div>
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
          {resentLink ? (
            <CardBody className="border-t border-zinc-100 dark:border-zinc-800">
              <CopyLink url={resentLink.url} label="The new link, if you would rather send it yourself" />
            </CardBody>
          ) : null}
        </Card>
      ) : null}
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke this invitation?"
        description={`The link ${revoking?.email ? `sent to ${revoking.email} ` : ""}stops working at once. You can invite again later.`}
        confirmLabel="Revoke invitation"
        danger
        onConfirm={async () => {
          if (!revoking) return null;
          const result = await revokeInviteAction({ accountId: account.id, inviteId: revoking.id });
          if (!result.ok) return result.message;
          toast.show({ tone: "success", title: "Invitation revoked" });
          if (resentLink?.inviteId === revoking.id) setResentLink(null);
          router.refresh();
          return null;
        }}
      />
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

function InviteForm({
  account,
  canSendMail,
  onCreated,
}: {
  account: AccountJson;
  canSendMail: boolean;
  onCreated: () => void;
}) {
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<{ url: string; sentTo: string | null } | null>(null);
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
        // Without an address (or a mail server) there is nobody to mail: the invitation is a link to copy.
        sendEmail:
          canSendMail && form.get("sendEmail") === "on" && String(form.get("email") ?? "").trim() !== "",
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        const unplaced = unplacedError(result, ["email", "role"]);
        if (unplaced) toast.show({ tone: "error", title: "Could not invite", description: unplaced });
        return;
      }
      setErrors({});
      const { invite, token, emailError } = result.data;
      setLink({ url: inviteUrl(token), sentTo: invite.emailedAt ? invite.email : null });
      target.reset();
      if (emailError) {
        toast.show({
          tone: "error",
          title: "Invitation created, but not emailed",
          description: `${emailError} Copy the link below instead.`,
        });
      } else {
        toast.show({
          tone: "success",
          title: invite.emailedAt ? `Invitation sent to ${invite.email}` : "Invitation link created",
        });
      }
      onCreated();
    });
  }

  return (
    <Card>
      <CardHeader
        title="Invite a member"
        description={
          canSendMail
            ? "We email them a link (or you send it yourself); whoever opens it joins with the role you choose."
            : "Create a link and send it yourself; whoever opens it joins with the role you choose."
        }
      />
      <CardBody className="space-y-4">
        <form onSubmit={onSubmit} noValidate className="grid items-start gap-4 sm:grid-cols-[1fr_12rem_auto]">
          <Field
            id="invite-email"
            label="Email"
            hint={
              canSendMail
                ? "Where we send the link. Leave empty to only create a link."
                : "Optional: a note of who the link is for."
            }
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
              Invite
            </Button>
          </div>
          {canSendMail ? (
            <label className="flex items-center gap-2 text-sm text-zinc-700 sm:col-span-3 dark:text-zinc-300">
              <input
                type="checkbox"
                name="sendEmail"
                defaultChecked
                className="size-4 rounded border-zinc-300 accent-brand-600"
              />
              Send the link by email
            </label>
          ) : null}
        </form>
        {link ? (
          <CopyLink
            url={link.url}
            label={
              link.sentTo
                ? `Emailed to ${link.sentTo}. You can also send this link yourself`
                : "Send this link to the person you invite"
            }
          />
        ) : null}
      </CardBody>
    </Card>
  );
}
