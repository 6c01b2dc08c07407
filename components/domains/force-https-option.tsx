"use client";

import { useDomainMutation } from "@/components/domains/use-domain-mutation";
import { useToast } from "@/components/ui/toast";
import { setForceHttpsAction } from "@/lib/actions/domain/set-force-https-action";
import type { SiteDomainsJson } from "@/lib/api/json";

/** Per site: http:// on the site's own domains answers with a 301 to https:// where TLS exists. */
export function ForceHttpsOption({ view, editable }: { view: SiteDomainsJson; editable: boolean }) {
  const toast = useToast();
  const { pending, run } = useDomainMutation(view.siteId);
  const note = !view.tlsAvailable
    ? "TLS is not set up on this platform, so HTTPS cannot be forced yet; the choice takes effect once the operator sets up a ClusterIssuer."
    : !view.redirectsSupported
      ? "This platform routes with Ingresses, which cannot force HTTPS; the site's conditions say so."
      : "Applies to each domain once its certificate is issued.";
  return (
    <div className="space-y-1">
      <label className="flex items-center gap-2 text-sm font-medium text-zinc-800 dark:text-zinc-200">
        <input
          type="checkbox"
          className="size-4 rounded border-zinc-300"
          checked={view.forceHttps}
          disabled={!editable || pending}
          data-testid="force-https"
          onChange={(event) => {
            const forceHttps = event.currentTarget.checked;
            run(
              () => setForceHttpsAction({ siteId: view.siteId, forceHttps }),
              (result) =>
                result.ok
                  ? toast.show({
                      tone: "success",
                      title: forceHttps ? "HTTPS forced" : "HTTPS no longer forced",
                    })
                  : toast.show({ tone: "error", title: "Not changed", description: result.message }),
            );
          }}
        />
        Force HTTPS (redirect http:// to https://)
      </label>
      <p className="pl-6 text-xs text-zinc-500 dark:text-zinc-400">{note}</p>
    </div>
  );
}
