"use client";

import { formatQuantity, LIMIT_LABELS } from "@/components/accounts/limit-labels";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RefreshError } from "@/components/ui/refresh-error";
import { UsageBar } from "@/components/ui/usage-bar";
import { useAccountQuota } from "@/lib/query/use-account-quota";
import type { AccountQuotaView } from "@/lib/services/quota/get-account-quota";
import { LIMIT_KEYS } from "@/lib/validation/plan";

/** The account's usage against its plan, limit by limit; live, as sites, databases and plans change. */
export function AccountUsage({ initialQuota }: { initialQuota: AccountQuotaView }) {
  const { data: quota = initialQuota, error } = useAccountQuota(initialQuota.accountId, initialQuota);
  return (
    <Card className="mt-6">
      <CardHeader
        title="Usage"
        description={
          quota.plan
            ? `What your plan ${quota.plan.name} allows and what you use.`
            : "No plan: nothing is limited."
        }
      />
      <RefreshError error={error} />
      <CardBody className="grid gap-5 sm:grid-cols-2">
        {LIMIT_KEYS.map((key) => (
          <UsageBar
            key={key}
            label={LIMIT_LABELS[key].label}
            format={(amount) => formatQuantity(key, amount)}
            used={quota.usage[key]}
            limit={quota.plan ? quota.plan[key] : null}
          />
        ))}
      </CardBody>
    </Card>
  );
}
