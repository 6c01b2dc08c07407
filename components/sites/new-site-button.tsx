import { Button, ButtonLink } from "@/components/ui/button";
import { PlusIcon } from "@/components/ui/icons";
import type { AccountJson } from "@/lib/api/json";
import { siteCreationBlockedReason } from "@/lib/authz/permissions";

/**
 * "New site", or the same button disabled with the reason beside it when the account cannot have
 * one: suspended, or its plan has no room left (`limitReason`, from newSiteLimitReason).
 */
export function NewSiteButton({
  account,
  size,
  limitReason = null,
}: {
  account: AccountJson;
  size?: "sm" | "md";
  limitReason?: string | null;
}) {
  const blocked = siteCreationBlockedReason(account) ?? limitReason;
  if (!blocked) {
    return (
      <ButtonLink href={`/accounts/${account.slug}/sites/new`} size={size}>
        <PlusIcon className="size-4" />
        New site
      </ButtonLink>
    );
  }
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button size={size} disabled aria-describedby="new-site-blocked" title={blocked}>
        <PlusIcon className="size-4" />
        New site
      </Button>
      <span
        id="new-site-blocked"
        data-testid="new-site-blocked"
        className="max-w-xs text-right text-xs text-amber-700 dark:text-amber-300"
      >
        {blocked}
      </span>
    </span>
  );
}
