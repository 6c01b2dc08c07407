import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { accountCrumbs } from "@/components/shell/account-trail";
import { LocalTime } from "@/components/sites/local-time";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ClipboardIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { accountAreas } from "@/lib/authz/permissions";
import { sectionTitle } from "@/lib/glossary";
import { listAuditLog } from "@/lib/services/audit-log/list-audit-log";
import { AUDIT_LOG_DEFAULT_LIMIT } from "@/lib/validation/account";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("auditLog");

export default async function AuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ before?: string | string[] }>;
}) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).auditLog) notFound();
  const { before } = await searchParams;
  const cursor = typeof before === "string" && /^\d{1,19}$/.test(before) ? before : undefined;
  const entries = await listAuditLog({ actor, accountId: account.id, input: { before: cursor } });
  const last = entries.at(-1);
  const base = `/accounts/${account.slug}/audit-log`;
  return (
    <>
      <PageHeader
        title={sectionTitle("auditLog", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "auditLog")}
        description={`Who did what in ${account.name} and the accounts below it, newest first.`}
      />
      <Card>
        <CardHeader title={cursor ? "Older entries" : "Latest entries"} />
        {entries.length === 0 ? (
          <EmptyState
            icon={<ClipboardIcon className="size-6" />}
            title="Nothing recorded yet"
            description="Changes to sites, accounts, plans and members appear here as they happen."
          />
        ) : (
          <Table label="Audit log" stack>
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Who</Th>
                <Th>What</Th>
                <Th>Object</Th>
                <Th>IP address</Th>
              </tr>
            </thead>
            <TBody>
              {entries.map((entry) => (
                <tr key={entry.resourceVersion} data-testid="audit-row">
                  <Td label="When" className="text-zinc-500 dark:text-zinc-400">
                    <LocalTime iso={entry.createdAt} />
                  </Td>
                  <Td label="Who" wrap className="min-w-36 max-sm:min-w-0">
                    {entry.support ? (
                      // In a support session: the operator who really acted, and as whom.
                      <span data-testid="audit-support">
                        Support ({entry.support.operatorName})
                        <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                          as {entry.support.asName}
                        </span>
                      </span>
                    ) : entry.actor ? (
                      <span title={entry.actor.email ?? undefined}>{entry.actor.name}</span>
                    ) : (
                      <span className="text-zinc-600 dark:text-zinc-400">System</span>
                    )}
                  </Td>
                  <Td
                    cell="primary"
                    wrap
                    className="min-w-72 text-zinc-900 max-sm:min-w-0 dark:text-zinc-100"
                  >
                    {entry.summary}
                  </Td>
                  <Td label="Object">
                    <span className="font-medium">{entry.kind}</span>
                    {entry.accountSlug ? (
                      <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                        in {entry.accountSlug}
                      </span>
                    ) : null}
                  </Td>
                  <Td label="IP address" wrap className="min-w-32 font-mono text-xs [overflow-wrap:anywhere]">
                    {entry.actorIp ?? "—"}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
        <nav
          aria-label="Pagination"
          className="flex justify-end gap-2 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800"
        >
          {cursor ? (
            <ButtonLink href={base} size="sm" variant="secondary">
              Newest
            </ButtonLink>
          ) : null}
          {last && entries.length >= AUDIT_LOG_DEFAULT_LIMIT ? (
            <ButtonLink href={`${base}?before=${last.resourceVersion}`} size="sm" variant="secondary">
              Older
            </ButtonLink>
          ) : null}
        </nav>
      </Card>
    </>
  );
}
