"use client";

import { type FormEvent, useState, useTransition } from "react";
import { TokenGrantFields } from "@/components/api-tokens/token-grant-fields";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { unplacedError } from "@/components/ui/unplaced-error";
import { downloadKubeconfigAction } from "@/lib/actions/api-token/download-kubeconfig-action";
import type { AccountJson } from "@/lib/api/json";
import type { Role } from "@/lib/generated/prisma/enums";
import { KUBECONFIG_TOKEN_DAYS } from "@/lib/validation/api-token";

const FIELDS = ["role", "expiresInDays"];

/** Hands text to the browser as a file download; nothing of it stays in the page. */
function saveAs(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file over.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * "Download kubeconfig": a role no stronger than the caller's own, an expiry; the kubeconfig (with a
 * fresh API token, listed with the others) is saved as a file once and never shown again.
 */
export function DownloadKubeconfigDialog({
  account,
  ownRole,
  open,
  onClose,
  onDownloaded,
}: {
  account: AccountJson;
  ownRole: Role;
  open: boolean;
  onClose: () => void;
  onDownloaded: () => void;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function close() {
    setErrors({});
    setFormError(null);
    setSaved(null);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await downloadKubeconfigAction({
        accountId: account.id,
        role: String(form.get("role") ?? ""),
        expiresInDays: String(form.get("expiresInDays") ?? ""),
      });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, FIELDS));
        return;
      }
      saveAs(result.data.filename, result.data.kubeconfig);
      setSaved(result.data.filename);
      onDownloaded();
    });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={saved ? "Kubeconfig downloaded" : "Download kubeconfig"}
      description={
        saved
          ? undefined
          : `A kubeconfig for kubectl with a new API token: it acts for you on ${account.name} and the accounts below it, with the role you give it.`
      }
    >
      {saved ? (
        <div className="space-y-4">
          <div
            role="alert"
            className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200"
          >
            <p className="font-medium">Keep {saved} safe. It cannot be downloaded again.</p>
            <p className="mt-1">
              It holds a new API token, listed here with your others: revoke it when you no longer need the
              file.
            </p>
          </div>
          <p className="text-sm text-zinc-600 dark:text-zinc-300">
            Use it with <code className="font-mono">kubectl --kubeconfig {saved} get sites</code>.
          </p>
          <div className="flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Download kubeconfig">
          <FormError message={formError} testId="download-kubeconfig-form-error" />
          <TokenGrantFields
            idPrefix="kubeconfig"
            ownRole={ownRole}
            defaultRole={ownRole}
            defaultExpiry={KUBECONFIG_TOKEN_DAYS}
            errors={errors}
          />
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              Download kubeconfig
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
