import type { Metadata } from "next";
import type { ReactNode } from "react";
import { LIMIT_LABELS } from "@/components/accounts/limit-labels";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { UsageBar } from "@/components/ui/usage-bar";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { LIMIT_KEYS } from "@/lib/validation/plan";
import { degradedCondition } from "@/lib/views";
import { loadAccount } from "./load-account";

export const metadata: Metadata = { title: "Account" };

const kindLabel = {
  PLATFORM: "Platform",
  RESELLER: "Reseller",
  AGENCY: "Agency",
  CUSTOMER: "Customer",
} as const;
const roleLabel = { OWNER: "Owner", ADMIN: "Admin", DEVELOPER: "Developer", VIEWER: "Viewer" } as const;

export default async function AccountPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { account, actor } = await loadAccount(slug);
  const quota = await getAccountQuota({ actor, accountId: account.id });
  const degraded = degradedCondition(account.conditions);
  const rows: [string, ReactNode][] = [
    ["Name", account.name],
    [
      "Identifier",
      <code key="slug" className="font-mono text-xs">
        {account.slug}
      </code>,
    ],
    ["Type", kindLabel[account.kind]],
    ["Plan", quota.plan?.name ?? "None"],
    [
      "Status",
      <Badge key="status" tone={account.status === "ACTIVE" ? "success" : "warning"}>
        {account.status === "ACTIVE" ? "Active" : "Suspended"}
      </Badge>,
    ],
    ["Your role", roleLabel[account.role]],
    ["Signed in as", actor.user.email],
  ];
  return (
    <div className="max-w-3xl">
      <PageHeader title="Account" description="The account your sites belong to." />
      {degraded ? (
        <div
          role="alert"
          data-testid="account-degraded"
          className="mb-6 rounded-xl border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200"
        >
          <p className="font-semibold">This account needs attention ({degraded.reason})</p>
          {degraded.message ? <p className="mt-0.5">{degraded.message}</p> : null}
        </div>
      ) : null}
      <Card>
        <CardHeader title={account.name} description={`${kindLabel[account.kind]} account`} />
        <CardBody>
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map(([label, value]) => (
              <div key={label} className="grid grid-cols-3 gap-4 py-3 text-sm">
                <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
                <dd className="col-span-2 text-zinc-900 dark:text-zinc-100">{value}</dd>
              </div>
            ))}
          </dl>
        </CardBody>
      </Card>
      <Card className="mt-6">
        <CardHeader
          title="Usage"
          description={
            quota.plan
              ? `What your plan ${quota.plan.name} allows and what you use.`
              : "No plan: nothing is limited."
          }
        />
        <CardBody className="grid gap-5 sm:grid-cols-2">
          {LIMIT_KEYS.map((key) => (
            <UsageBar
              key={key}
              label={LIMIT_LABELS[key].label}
              unit={LIMIT_LABELS[key].unit}
              used={quota.usage[key]}
              limit={quota.plan ? quota.plan[key] : null}
            />
          ))}
        </CardBody>
      </Card>
    </div>
  );
}
