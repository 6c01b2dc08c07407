"use client";

import { useState } from "react";
import { punycodeHint, tlsPresentation } from "@/components/domains/domain-format";
import { useDomainMutation } from "@/components/domains/use-domain-mutation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Td } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { removeDomainAction } from "@/lib/actions/domain/remove-domain-action";
import { updateDomainAction } from "@/lib/actions/domain/update-domain-action";
import type { DomainJson, SiteDomainsJson } from "@/lib/api/json";

export function DomainRow({
  domain,
  view,
  editable,
}: {
  domain: DomainJson;
  view: SiteDomainsJson;
  /** The caller may change domains and the site is not being deleted. */
  editable: boolean;
}) {
  const toast = useToast();
  const { pending, run } = useDomainMutation(domain.siteId);
  const [removeOpen, setRemoveOpen] = useState(false);
  const tls = tlsPresentation(domain.tls);
  const punycode = punycodeHint(domain);

  function update(input: { isPrimary: true } | { redirectToPrimary: boolean }, done: string) {
    run(
      () => updateDomainAction({ siteId: domain.siteId, domainId: domain.id, ...input }),
      (result) =>
        result.ok
          ? toast.show({ tone: "success", title: done })
          : toast.show({ tone: "error", title: "Not changed", description: result.message }),
    );
  }

  return (
    <tr data-testid="domain-row" data-hostname={domain.hostname}>
      <Td cell="primary" className="font-medium text-zinc-900 dark:text-zinc-100">
        <div className="flex items-center gap-2">
          <span className="truncate">{domain.unicodeHostname}</span>
          {domain.isPrimary ? <Badge tone="info">Primary</Badge> : null}
        </div>
        {punycode ? (
          <div className="font-mono text-xs text-zinc-500 dark:text-zinc-400" data-testid="domain-punycode">
            {punycode}
          </div>
        ) : null}
      </Td>
      <Td label="Answers">
        {domain.isPrimary ? (
          <span className="text-zinc-500 dark:text-zinc-400">Serves the site</span>
        ) : domain.redirectToPrimary ? (
          <span
            title={
              view.redirectsSupported
                ? undefined
                : "This platform's routing cannot redirect: served as an alias."
            }
          >
            Redirects to primary (301){view.redirectsSupported ? "" : " *"}
          </span>
        ) : (
          "Alias"
        )}
      </Td>
      <Td label="TLS" wrap className="max-w-xs max-sm:max-w-none">
        <Badge tone={tls.tone}>{tls.label}</Badge>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400" data-testid="domain-tls-detail">
          {tls.detail}
        </p>
      </Td>
      <Td cell="actions" wrap className="text-right">
        {editable && !domain.isPrimary ? (
          <div className="flex flex-wrap justify-end gap-2 max-sm:justify-start">
            <Button
              size="sm"
              variant="secondary"
              pending={pending}
              onClick={() =>
                update({ isPrimary: true }, `${domain.unicodeHostname} is now the primary domain`)
              }
            >
              Make primary
            </Button>
            <Button
              size="sm"
              variant="secondary"
              disabled={pending}
              onClick={() =>
                update(
                  { redirectToPrimary: !domain.redirectToPrimary },
                  domain.redirectToPrimary
                    ? `${domain.unicodeHostname} now serves the site`
                    : `${domain.unicodeHostname} now redirects to the primary domain`,
                )
              }
            >
              {domain.redirectToPrimary ? "Serve as alias" : "Redirect to primary"}
            </Button>
            <Button size="sm" variant="ghost" disabled={pending} onClick={() => setRemoveOpen(true)}>
              Remove
            </Button>
          </div>
        ) : editable ? (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">
            Make another domain primary to remove this one.
          </span>
        ) : null}
        <ConfirmDialog
          open={removeOpen}
          onClose={() => setRemoveOpen(false)}
          title={`Remove ${domain.unicodeHostname}?`}
          description="The site stops answering on this domain once the routes are applied. You can add it again later, if no one else has taken it."
          confirmLabel="Remove domain"
          danger
          onConfirm={async () => {
            const result = await removeDomainAction({ siteId: domain.siteId, domainId: domain.id });
            if (!result.ok) return result.message;
            run(
              async () => result,
              () => toast.show({ tone: "success", title: `${domain.unicodeHostname} removed` }),
            );
            return null;
          }}
        />
      </Td>
    </tr>
  );
}
