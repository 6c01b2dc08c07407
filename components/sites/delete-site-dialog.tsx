"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { deleteSiteAction } from "@/lib/actions/site/delete-site-action";
import type { SiteJson } from "@/lib/api/json";
import { queryKeys } from "@/lib/query/keys";

/** Deleting removes files and databases for good, so the user types the site's name to confirm. */
export function DeleteSiteDialog({
  site,
  open,
  onClose,
}: {
  site: SiteJson;
  open: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirmed = typed.trim() === site.name;

  function close() {
    setTyped("");
    setError(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!confirmed) return;
    startTransition(async () => {
      const result = await deleteSiteAction({ siteId: site.id });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      queryClient.setQueryData(queryKeys.sites.detail(site.id), result.data);
      await queryClient.invalidateQueries({ queryKey: queryKeys.sites.list(site.accountId) });
      toast.show({
        tone: "info",
        title: `Deleting ${site.name}`,
        description: "Its files, database and domains are being removed.",
        acrossNavigation: true,
      });
      close();
      router.push(`/accounts/${site.accountSlug}/sites`);
    });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Delete ${site.name}?`}
      description={
        <p>
          This permanently deletes the site, its files and its database, and frees its domains. It cannot be
          undone.
        </p>
      }
    >
      <form onSubmit={onSubmit} className="space-y-4">
        <Field id="confirm-name" label={`Type ${site.name} to confirm`} error={error ?? undefined}>
          <Input
            id="confirm-name"
            name="confirm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoFocus
          />
        </Field>
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={!confirmed} pending={pending}>
            Delete site
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
