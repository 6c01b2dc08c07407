"use client";

import { type FormEvent, useState } from "react";
import { hasRoomFor } from "@/components/domains/domain-format";
import { useDomainMutation } from "@/components/domains/use-domain-mutation";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { addDomainAction } from "@/lib/actions/domain/add-domain-action";
import type { SiteDomainsJson } from "@/lib/api/json";

const PLACED = ["domain", "redirectToPrimary", "includeWww"] as const;

/**
 * Adds a domain. The name is sent as typed: the server converts international names to punycode
 * (the shared schema) and the table shows both spellings of what it stored.
 */
export function AddDomainForm({ siteId, view }: { siteId: string; view: SiteDomainsJson }) {
  const toast = useToast();
  const { pending, run } = useDomainMutation(siteId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const full = !hasRoomFor(view.usage, 1);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = {
      siteId,
      domain: String(form.get("domain") ?? ""),
      redirectToPrimary: form.get("mode") === "redirect",
      includeWww: form.get("includeWww") === "on",
    };
    run(
      () => addDomainAction(input),
      (result) => {
        if (!result.ok) {
          setErrors(result.fieldErrors ?? {});
          setFormError(unplacedError(result, PLACED));
          return;
        }
        setErrors({});
        setFormError(null);
        formElement.reset();
        const typed = input.domain.trim().toLowerCase().replace(/\.$/, "");
        const added = result.data.domains.find((d) => d.hostname === typed || d.unicodeHostname === typed);
        toast.show({
          tone: "success",
          title: "Domain added",
          description: "Point its DNS to this platform; the site answers on it once the routes are applied.",
        });
        if (added && added.unicodeHostname !== added.hostname) {
          toast.show({
            tone: "info",
            title: `Stored as ${added.hostname}`,
            description: "Its punycode form.",
          });
        }
      },
    );
  }

  const errorFor = (key: string) => errors[key];
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="Add a domain"
      className="space-y-4"
      data-testid="add-domain-form"
    >
      <FormError message={formError} testId="add-domain-form-error" />
      <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
        <Field
          id="add-domain"
          label="Add a domain"
          hint="e.g. shop.example.com; international names such as bücher.example are fine."
          error={errorFor("domain")}
        >
          <Input
            id="add-domain"
            name="domain"
            autoComplete="off"
            spellCheck={false}
            placeholder="shop.example.com"
            invalid={Boolean(errorFor("domain"))}
            describedBy={errorFor("domain") ? "add-domain-error" : "add-domain-hint"}
            disabled={full}
          />
        </Field>
        <div className="flex items-start sm:pt-7">
          <Button type="submit" pending={pending} disabled={full}>
            Add domain
          </Button>
        </div>
      </div>
      <fieldset
        className="flex flex-wrap gap-x-6 gap-y-2 text-sm text-zinc-800 dark:text-zinc-200"
        disabled={full}
      >
        <legend className="sr-only">How the domain answers</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="mode" value="alias" defaultChecked className="size-4" />
          Serve the site (alias)
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="mode" value="redirect" className="size-4" />
          Redirect to the primary domain (301)
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="includeWww" className="size-4 rounded border-zinc-300" />
          Also add the www counterpart (www.example.com for example.com), redirecting to the primary
        </label>
      </fieldset>
      {errorFor("includeWww") ? (
        <p className="text-sm text-red-600 dark:text-red-400" data-testid="includeWww-error">
          {errorFor("includeWww")}
        </p>
      ) : null}
      {full ? (
        <p className="text-sm text-amber-700 dark:text-amber-300" data-testid="domains-full">
          Your plan's domains are all in use. Remove a domain or upgrade the plan to add another.
        </p>
      ) : null}
    </form>
  );
}
