import type { ReactNode } from "react";
import { AccountUsage } from "@/components/accounts/account-usage";
import { ResetTwoFactorButton } from "@/components/accounts/reset-two-factor";
import { TwoFactorPolicyToggle } from "@/components/accounts/two-factor-policy-toggle";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { LiveRefresh } from "@/components/shell/live-refresh";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { canResetUserTwoFactor } from "@/lib/authz/permissions";
import { ACCOUNT_KIND_LABELS, ROLE_LABELS, sectionTitle } from "@/lib/glossary";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { findUserTwoFactor } from "@/lib/services/two-factor/find-user-two-factor";
import { getTwoFactorPolicy } from "@/lib/services/two-factor/get-two-factor-policy";
import { degradedCondition } from "@/lib/views";
import { loadAccount } from "./load-account";
import { sectionMetadata } from "./section-metadata";

export const generateMetadata = sectionMetadata("account");

export default async function AccountPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  const [quota, twoFactorPolicy] = await Promise.all([
    getAccountQuota({ actor, accountId: account.id }),
    getTwoFactorPolicy({ actor, accountId: account.id }),
  ]);
  // The platform operator's reset of a user's second factor, found by email.
  const operator = account.kind === "PLATFORM" && canResetUserTwoFactor(account.role);
  const { resetEmail } = await searchParams;
  const lookupEmail = operator && typeof resetEmail === "string" ? resetEmail.trim().slice(0, 254) : "";
  const found = lookupEmail ? await findUserTwoFactor({ actor, email: lookupEmail }) : null;
  const degraded = degradedCondition(account.conditions);
  const rows: [string, ReactNode][] = [
    ["Name", account.name],
    [
      "Identifier",
      <code key="slug" className="font-mono text-xs">
        {account.slug}
      </code>,
    ],
    ["Type", ACCOUNT_KIND_LABELS[account.kind]],
    ["Plan", quota.plan?.name ?? "None"],
    [
      "Status",
      <Badge key="status" tone={account.status === "ACTIVE" ? "success" : "warning"}>
        {account.status === "ACTIVE" ? "Active" : "Suspended"}
      </Badge>,
    ],
    ["Your role", ROLE_LABELS[account.role]],
    ["Signed in as", actor.user.email],
  ];
  return (
    <div className="max-w-3xl">
      <PageHeader
        title={sectionTitle("account", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "account")}
        description="The account your sites belong to."
      />
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
      {/* Live: the account's plan, status and conditions (its usage follows its own query). */}
      <LiveRefresh kinds={["Account"]} statusOf={["Account"]} />
      <Card>
        <CardHeader title={account.name} description={`${ACCOUNT_KIND_LABELS[account.kind]} account`} />
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
        <CardHeader title="Sign-in security" />
        <CardBody>
          <TwoFactorPolicyToggle
            accountId={account.id}
            accountName={account.name}
            requireTwoFactor={twoFactorPolicy.requireTwoFactor}
            requiredAbove={twoFactorPolicy.requiredAbove}
            canChange={twoFactorPolicy.canChange}
          />
        </CardBody>
      </Card>
      {operator ? (
        <Card className="mt-6">
          <CardHeader
            title="Reset a user's two-factor sign-in"
            description="For a user who lost their authenticator app and their recovery codes. Recorded in the audit log."
          />
          <CardBody className="space-y-4">
            <form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <div className="flex-1">
                <Field id="resetEmail" label="User's email">
                  <Input id="resetEmail" name="resetEmail" type="email" defaultValue={lookupEmail} required />
                </Field>
              </div>
              <button
                type="submit"
                className="h-10 rounded-lg border border-zinc-300 bg-white px-4 text-sm font-medium text-zinc-800 shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
              >
                Find user
              </button>
            </form>
            {lookupEmail ? (
              found ? (
                <div data-testid="reset-two-factor-user" className="space-y-2 text-sm">
                  <p>
                    <span className="font-medium">{found.name}</span> ({found.email}):{" "}
                    {found.twoFactorEnabledAt ? "two-factor sign-in is on." : "two-factor sign-in is off."}
                  </p>
                  {found.twoFactorEnabledAt ? (
                    <ResetTwoFactorButton userId={found.id} email={found.email} />
                  ) : null}
                </div>
              ) : (
                <p role="status" className="text-sm text-zinc-600 dark:text-zinc-300">
                  No user has the email {lookupEmail}. Check the spelling and try again.
                </p>
              )
            ) : null}
          </CardBody>
        </Card>
      ) : null}
      <AccountUsage initialQuota={quota} />
    </div>
  );
}
