"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState, useTransition } from "react";
import { handOverCredentials } from "@/components/sites/wordpress-admin-credentials";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useFocusFirstInvalid } from "@/components/ui/use-focus-first-invalid";
import { createSiteAction } from "@/lib/actions/site/create-site-action";
import type { AccountJson } from "@/lib/api/json";
import { siteCreationBlockedReason } from "@/lib/authz/permissions";
import { queryKeys } from "@/lib/query/keys";
import type { OfferedRuntime } from "@/lib/services/runtime/list-offered-runtimes";
import { NO_RUNTIME_MESSAGE } from "@/lib/services/runtime/runtime-catalog";
import { DEFAULT_ADMIN_USER } from "@/lib/validation/site";

type FieldErrors = Record<string, string>;

/**
 * `runtimes`: the PHP versions the catalog offers, newest first (the default). `storageLeftGiB`:
 * what the account's plan has left for a new site's volume; null without a plan. `limitReason`: why
 * the plan has no room for even the smallest site (newSiteLimitReason), shown before the form is filled.
 */
export function NewSiteForm({
  account,
  runtimes,
  storageLeftGiB = null,
  limitReason = null,
}: {
  account: AccountJson;
  runtimes: OfferedRuntime[];
  storageLeftGiB?: number | null;
  limitReason?: string | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [app, setApp] = useState("WORDPRESS");
  const formRef = useRef<HTMLFormElement>(null);
  const showRefusal = useFocusFirstInvalid(formRef, pending);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      accountId: account.id,
      name: String(form.get("name") ?? ""),
      domain: String(form.get("domain") ?? ""),
      phpVersion: String(form.get("phpVersion") ?? ""),
      app: String(form.get("app") ?? ""),
      title: String(form.get("title") ?? ""),
      storageGiB: String(form.get("storageGiB") ?? ""),
      ...(app === "WORDPRESS" ? { adminUser: String(form.get("adminUser") ?? "") } : {}),
    };
    startTransition(async () => {
      const result = await createSiteAction(input);
      if (!result.ok) {
        const fieldErrors = result.fieldErrors ?? {};
        setErrors(fieldErrors);
        // Errors that belong to no field of this form go above it.
        const shown = ["name", "domain", "phpVersion", "app", "title", "adminUser", "storageGiB"].some(
          (key) => key in fieldErrors,
        );
        setFormError(shown ? null : result.message);
        showRefusal();
        return;
      }
      const { site, wordpressAdmin } = result.data;
      // Shown once, on the site's page this form opens next; kept nowhere else.
      if (wordpressAdmin) handOverCredentials(site.id, wordpressAdmin);
      setErrors({});
      setFormError(null);
      // The new site shows up at once, in its first phase; live updates take it from there.
      queryClient.setQueryData(queryKeys.sites.detail(site.id), site);
      await queryClient.invalidateQueries({ queryKey: queryKeys.sites.list(account.id) });
      toast.show({
        tone: "success",
        title: `Site ${site.name} created`,
        description: "Provisioning has started.",
        acrossNavigation: true,
      });
      router.push(`/accounts/${account.slug}/sites/${site.id}`);
    });
  }

  const blocked =
    siteCreationBlockedReason(account) ?? limitReason ?? (runtimes.length === 0 ? NO_RUNTIME_MESSAGE : null);
  const err = (key: string) => errors[key];
  const describedBy = (key: string) => (errors[key] ? `${key}-error` : `${key}-hint`);

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-6" aria-label="New site">
      {blocked ? (
        <div
          role="alert"
          data-testid="new-site-blocked"
          className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2.5 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
        >
          {blocked}
        </div>
      ) : null}
      {/* A blocked account gets the form greyed out, so it still shows what a site would need. */}
      <fieldset disabled={Boolean(blocked)} className="space-y-6">
        {formError ? (
          <div
            role="alert"
            className="rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-700 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300"
          >
            {formError}
          </div>
        ) : null}
        <Field
          id="name"
          label="Site name"
          hint="Lower-case letters, digits and hyphens, e.g. my-blog."
          error={err("name")}
        >
          <Input
            id="name"
            name="name"
            autoComplete="off"
            spellCheck={false}
            placeholder="my-blog"
            invalid={Boolean(err("name"))}
            describedBy={describedBy("name")}
            required
          />
        </Field>
        <Field
          id="domain"
          label="Primary domain"
          hint="The domain visitors use, e.g. www.example.com (international names such as bücher.example are fine). Point its DNS to your hosting provider."
          error={err("domain")}
        >
          <Input
            id="domain"
            name="domain"
            autoComplete="off"
            spellCheck={false}
            placeholder="www.example.com"
            invalid={Boolean(err("domain"))}
            describedBy={describedBy("domain")}
            required
          />
        </Field>
        <Field
          id="title"
          label="Site title"
          hint="The name visitors see, e.g. Acme Blog. Leave empty to use the site name."
          error={err("title")}
        >
          <Input
            id="title"
            name="title"
            autoComplete="off"
            placeholder="Acme Blog"
            maxLength={120}
            invalid={Boolean(err("title"))}
            describedBy={describedBy("title")}
          />
        </Field>
        <div className="grid gap-6 sm:grid-cols-2">
          <Field
            id="app"
            label="Application"
            hint={app === "WORDPRESS" ? "WordPress gets its own database, counted in your plan." : undefined}
            error={err("app")}
          >
            <Select
              id="app"
              name="app"
              defaultValue="WORDPRESS"
              invalid={Boolean(err("app"))}
              describedBy={err("app") || app === "WORDPRESS" ? describedBy("app") : undefined}
              onChange={(e) => setApp(e.currentTarget.value)}
            >
              <option value="WORDPRESS">WordPress</option>
              <option value="PHP">Plain PHP</option>
            </Select>
          </Field>
          <Field id="phpVersion" label="PHP version" error={err("phpVersion")}>
            <Select
              id="phpVersion"
              name="phpVersion"
              defaultValue={runtimes[0]?.phpVersion}
              invalid={Boolean(err("phpVersion"))}
            >
              {runtimes.map((runtime) => (
                <option key={runtime.phpVersion} value={runtime.phpVersion}>
                  PHP {runtime.phpVersion}
                  {runtime.label ? ` (${runtime.label})` : ""}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Field
          id="storageGiB"
          label="Storage (GiB)"
          hint={`The site's files. Leave empty for the usual size, or what your plan has left when that is less. It can grow later, never shrink.${
            storageLeftGiB === null
              ? ""
              : storageLeftGiB > 0
                ? ` Your plan has ${storageLeftGiB} GiB left.`
                : " Your plan has no storage left: delete a site to free its storage, or upgrade the plan."
          }`}
          error={err("storageGiB")}
        >
          <Input
            id="storageGiB"
            name="storageGiB"
            inputMode="numeric"
            autoComplete="off"
            placeholder="Usual size"
            invalid={Boolean(err("storageGiB"))}
            describedBy={describedBy("storageGiB")}
          />
        </Field>
        {app === "WORDPRESS" ? (
          <Field
            id="adminUser"
            label="WordPress admin user name"
            hint="Its password is generated and shown to you once, after the site is created."
            error={err("adminUser")}
          >
            <Input
              id="adminUser"
              name="adminUser"
              autoComplete="off"
              spellCheck={false}
              defaultValue={DEFAULT_ADMIN_USER}
              invalid={Boolean(err("adminUser"))}
              describedBy={describedBy("adminUser")}
              required
            />
          </Field>
        ) : null}
        <div className="flex items-center justify-end gap-3 border-t border-zinc-200 pt-5 dark:border-zinc-800">
          <ButtonLink href={`/accounts/${account.slug}/sites`} variant="ghost">
            Cancel
          </ButtonLink>
          <Button type="submit" pending={pending}>
            Create site
          </Button>
        </div>
      </fieldset>
    </form>
  );
}
