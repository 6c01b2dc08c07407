"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";

export interface WordpressAdminCredentialsJson {
  username: string;
  email: string;
  password: string;
}

/**
 * Credentials handed from the New site form to the site's page, in this tab's memory only: a
 * reload or a later visit finds nothing (the server kept no copy it would show again).
 */
const handedOver = new Map<string, WordpressAdminCredentialsJson>();

export function handOverCredentials(siteId: string, credentials: WordpressAdminCredentialsJson): void {
  handedOver.set(siteId, credentials);
}

function CopyField({
  id,
  label,
  value,
  testId,
}: {
  id: string;
  label: string;
  value: string;
  testId: string;
}) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.show({ tone: "success", title: `${label} copied` });
    } catch {
      toast.show({ tone: "error", title: "Could not copy", description: "Select the text and copy it." });
    }
  }
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium tracking-wide text-zinc-500 uppercase">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
          className="h-9 min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 font-mono text-sm text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
        />
        <Button
          size="sm"
          variant="secondary"
          onClick={() => void copy()}
          aria-label={`Copy ${label.toLowerCase()}`}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}

/** The WordPress admin's credentials, right after the site was created in this tab; once. */
export function WordpressAdminCredentials({ siteId }: { siteId: string }) {
  const [credentials, setCredentials] = useState(() => handedOver.get(siteId));
  // Taken out of the hand-over at once: leaving the page and coming back shows nothing.
  useEffect(() => {
    handedOver.delete(siteId);
  }, [siteId]);
  if (!credentials) return null;
  return (
    <Card className="mb-6 border-amber-300 dark:border-amber-500/40">
      <section aria-labelledby="wordpress-admin-heading" data-testid="wordpress-admin-credentials">
        <CardHeader
          title={<span id="wordpress-admin-heading">WordPress admin</span>}
          description="Save this password now: Sitepod will not show it again."
        />
        <CardBody className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <CopyField
              id="wordpress-admin-username"
              label="User name"
              value={credentials.username}
              testId="wordpress-admin-username"
            />
            <CopyField
              id="wordpress-admin-password"
              label="Password"
              value={credentials.password}
              testId="wordpress-admin-password"
            />
          </div>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Sign in at <span className="font-mono">/wp-admin/</span> on the site's address once it is running.
            WordPress sends password resets to {credentials.email}. Sitepod keeps no copy: once WordPress is
            installed, the password exists only as WordPress's own hash.
          </p>
          <div className="flex justify-end">
            <Button variant="secondary" onClick={() => setCredentials(undefined)}>
              I have saved it
            </Button>
          </div>
        </CardBody>
      </section>
    </Card>
  );
}
