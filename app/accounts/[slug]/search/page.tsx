import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { SearchResults } from "@/components/platform/search-results";
import { accountCrumbs } from "@/components/shell/account-trail";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { accountAreas } from "@/lib/authz/permissions";
import { AppError } from "@/lib/errors";
import { sectionTitle } from "@/lib/glossary";
import { type SearchResultsView, searchPlatform } from "@/lib/services/platform/search-platform";
import { SEARCH_MAX_LENGTH } from "@/lib/validation/search";
import { loadAccount } from "../load-account";
import { sectionMetadata } from "../section-metadata";

export const generateMetadata = sectionMetadata("search");

/** The platform operator's search: one box, results by kind (a plain GET form: links can be shared). */
export default async function SearchPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const { slug } = await params;
  const { actor, accounts, account } = await loadAccount(slug);
  if (!accountAreas(account).search) notFound();
  const { q } = await searchParams;
  const query = typeof q === "string" ? q : "";
  let results: SearchResultsView | null = null;
  let queryError: string | undefined;
  if (query.trim() !== "") {
    try {
      results = await searchPlatform({ actor, input: { q: query } });
    } catch (err) {
      if (!(err instanceof AppError && err.code === "INVALID_INPUT")) throw err;
      queryError = err.fieldErrors?.q ?? err.message;
    }
  }
  return (
    <>
      <PageHeader
        title={sectionTitle("search", account.kind)}
        breadcrumbs={accountCrumbs(accounts, account, "search")}
        description="Every account, user, site and domain on the platform, by name, email or hostname."
      />
      <Card className="mb-6">
        <CardBody>
          <search>
            <form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-start">
              <div className="flex-1">
                <Field
                  id="q"
                  label="Search"
                  hint="A name, a short name, an email address or a hostname, or any part of one."
                  error={queryError}
                >
                  <Input
                    id="q"
                    name="q"
                    type="search"
                    defaultValue={query}
                    maxLength={SEARCH_MAX_LENGTH}
                    invalid={queryError !== undefined}
                    describedBy={queryError ? "q-error" : "q-hint"}
                    autoComplete="off"
                    spellCheck={false}
                    autoFocus
                    required
                  />
                </Field>
              </div>
              <Button type="submit" className="sm:mt-7">
                Search
              </Button>
            </form>
          </search>
        </CardBody>
      </Card>
      {results ? <SearchResults results={results} /> : null}
    </>
  );
}
