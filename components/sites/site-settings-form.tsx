"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useMemo, useRef, useState, useTransition } from "react";
import { type EnvVarRow, envVarsInput, SiteEnvVarsEditor } from "@/components/sites/site-env-vars-editor";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useFocusFirstInvalid } from "@/components/ui/use-focus-first-invalid";
import { updateSiteAction } from "@/lib/actions/site/update-site-action";
import type { SiteJson } from "@/lib/api/json";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import { CPU_BURST_FACTOR, largestPhpResource, WEB_SERVER_SHARE } from "@/lib/quota/site-footprint";
import type { AccountQuotaView } from "@/lib/services/quota/get-account-quota";
import type { OfferedRuntime } from "@/lib/services/runtime/list-offered-runtimes";
import {
  MAX_EXECUTION_TIME,
  MAX_INPUT_VARS,
  RESOURCE_BOUNDS,
  timezoneNames,
} from "@/lib/validation/site-settings";

type FieldErrors = Record<string, string>;
type Settings = SiteJson["settings"];

/** The form's state: strings as typed, so that a bad number reaches the shared schema and its message. */
interface Values {
  phpVersion: string;
  memoryLimit: string;
  uploadMaxFilesize: string;
  postMaxSize: string;
  maxExecutionTime: string;
  maxInputVars: string;
  opcache: boolean;
  displayErrors: boolean;
  timezone: string;
  cpuMillicores: string;
  memoryMiB: string;
  storageGiB: string;
  replicas: string;
  env: EnvVarRow[];
}

function valuesOf(site: SiteJson): Values {
  const { php, resources, env } = site.settings;
  return {
    phpVersion: site.phpVersion,
    memoryLimit: php.memoryLimit,
    uploadMaxFilesize: php.uploadMaxFilesize,
    postMaxSize: php.postMaxSize,
    maxExecutionTime: String(php.maxExecutionTime),
    maxInputVars: String(php.maxInputVars),
    opcache: php.opcache,
    displayErrors: php.displayErrors,
    timezone: php.timezone,
    cpuMillicores: String(resources.cpuMillicores),
    memoryMiB: String(resources.memoryMiB),
    storageGiB: String(resources.storageGiB),
    replicas: String(resources.replicas),
    env: env.map((v, index) => ({
      key: index + 1,
      name: v.name,
      value: v.secret ? "" : v.value,
      secret: v.secret,
      stored: v.secret,
    })),
  };
}

/** The field's id in the form from the error key the server answers ("php.memoryLimit"). */
const idOf = (key: string) => `settings-${key.replace(/\./g, "-")}`;

/**
 * The most the resource fields may hold under the plan: its limits less what the other sites use
 * (this site's own footprint given back, since the form sets it anew), less the web server's
 * share of each of the site's pods. Null: no plan, no limit.
 */
function headroomFor(quota: AccountQuotaView | null, settings: Settings) {
  if (!quota?.plan) return null;
  const { plan, usage } = quota;
  const left = (key: "cpuMillicores" | "memoryMiB" | "storageGiB") =>
    plan[key] - usage[key] + settings.footprint[key];
  const replicas = settings.resources.replicas;
  return {
    cpuMillicores: largestPhpResource("cpuMillicores", left("cpuMillicores"), replicas),
    memoryMiB: largestPhpResource("memoryMiB", left("memoryMiB"), replicas),
    storageGiB: left("storageGiB"),
    perPod: replicas > 1 ? ` per pod for its ${replicas} pods` : "",
    webServer: replicas > 1 ? "each pod's web server" : "its web server",
  };
}

/** Keeps the site fresh while the cluster catches up with a save, live updates or not. */
function useSiteWhileApplying(site: SiteJson): SiteJson {
  const applying = site.observedGeneration < site.generation;
  const { data } = useQuery({
    queryKey: queryKeys.sites.detail(site.id),
    queryFn: async () =>
      (await apiFetch<{ site: SiteJson }>(`/api/v1/sites/${encodeURIComponent(site.id)}`)).site,
    initialData: site,
    refetchInterval: applying ? 3_000 : false,
  });
  return data ?? site;
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-4">
      <legend className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</legend>
      {children}
    </fieldset>
  );
}

/**
 * The site's settings: PHP version and php.ini, resources within the plan, environment
 * variables. Saves carry the generation the form was opened at; the server refuses a save against
 * a site changed since. After a save, says so until the reconciler has applied it.
 */
export function SiteSettingsForm({
  initialSite,
  runtimes,
  quota,
  canEdit,
}: {
  initialSite: SiteJson;
  /** Offered PHP versions, newest first; the site's own stays selectable even when no longer offered. */
  runtimes: OfferedRuntime[];
  quota: AccountQuotaView | null;
  canEdit: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const site = useSiteWhileApplying(initialSite);
  const [openedAt, setOpenedAt] = useState(initialSite.generation);
  const [values, setValues] = useState<Values>(() => valuesOf(initialSite));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  const showRefusal = useFocusFirstInvalid(formRef, pending);
  // The browser's list may lack a zone the server knows: the stored one stays selectable.
  const storedZone = initialSite.settings.php.timezone;
  const zones = useMemo(() => {
    const known = timezoneNames();
    return known.includes(storedZone) ? known : [storedZone, ...known];
  }, [storedZone]);

  const { settings } = site;
  const headroom = headroomFor(quota, settings);
  const applying = site.observedGeneration < site.generation;
  const changedElsewhere = site.generation > openedAt;
  const disabled = !canEdit || site.phase === "DELETING";
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  function reload() {
    setValues(valuesOf(site));
    setOpenedAt(site.generation);
    setErrors({});
    setFormError(null);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = {
      siteId: site.id,
      generation: openedAt,
      phpVersion: values.phpVersion,
      php: {
        memoryLimit: values.memoryLimit,
        uploadMaxFilesize: values.uploadMaxFilesize,
        postMaxSize: values.postMaxSize,
        maxExecutionTime: values.maxExecutionTime,
        maxInputVars: values.maxInputVars,
        opcache: values.opcache,
        displayErrors: values.displayErrors,
        timezone: values.timezone,
      },
      env: envVarsInput(values.env),
      resources: {
        cpuMillicores: values.cpuMillicores,
        memoryMiB: values.memoryMiB,
        storageGiB: values.storageGiB,
        replicas: values.replicas,
      },
    };
    startTransition(async () => {
      const result = await updateSiteAction(input);
      if (!result.ok) {
        const fieldErrors = result.fieldErrors ?? {};
        setErrors(fieldErrors);
        const placed = Object.keys(fieldErrors).some((key) => key !== "_form" && key !== "generation");
        setFormError(placed ? null : result.message);
        showRefusal();
        return;
      }
      const saved = result.data;
      queryClient.setQueryData(queryKeys.sites.detail(saved.id), saved);
      setValues(valuesOf(saved));
      setOpenedAt(saved.generation);
      setErrors({});
      setFormError(null);
      toast.show({
        tone: "success",
        title: "Settings saved",
        description:
          saved.generation > initialSite.generation
            ? "The site's pods are being updated."
            : "Nothing changed.",
      });
      // The plan's usage shown here comes from the page: read it again.
      router.refresh();
    });
  }

  const err = (key: string) => errors[key];
  const fieldProps = (key: string) => ({
    id: idOf(key),
    invalid: Boolean(errors[key]),
    describedBy: errors[key] ? `${idOf(key)}-error` : `${idOf(key)}-hint`,
  });
  const currentOffered = runtimes.some((r) => r.phpVersion === initialSite.phpVersion);

  return (
    <Card className="mt-6">
      <CardHeader
        title="PHP & resources"
        description="The PHP version and its settings, environment variables, and the CPU, memory and storage the site may use."
      />
      <CardBody>
        <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-8" aria-label="Site settings">
          <div role="status" aria-live="polite" className="text-sm" data-testid="settings-apply-status">
            {applying ? (
              <span className="text-sky-700 dark:text-sky-300">
                Applying… (generation {site.generation}, cluster at {site.observedGeneration})
              </span>
            ) : null}
          </div>
          {!canEdit ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              Your role lets you see these settings, not change them.
            </p>
          ) : null}
          {changedElsewhere ? (
            <div
              role="alert"
              className="flex items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2.5 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
            >
              This site was changed since you opened these settings.
              <Button type="button" variant="secondary" onClick={reload}>
                Reload settings
              </Button>
            </div>
          ) : null}
          {formError ? (
            <div
              role="alert"
              className="rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-700 dark:border-red-500/30 dark:bg-red-500/10 dark:text-red-300"
            >
              {formError}
            </div>
          ) : null}

          <fieldset disabled={disabled || pending} className="space-y-8">
            <Group title="PHP">
              <div className="grid gap-6 sm:grid-cols-3">
                <Field id={idOf("phpVersion")} label="PHP version" error={err("phpVersion")}>
                  <Select
                    {...fieldProps("phpVersion")}
                    value={values.phpVersion}
                    onChange={(e) => set("phpVersion", e.currentTarget.value)}
                  >
                    {currentOffered ? null : (
                      <option value={initialSite.phpVersion}>
                        PHP {initialSite.phpVersion} (current, no longer offered)
                      </option>
                    )}
                    {runtimes.map((r) => (
                      <option key={r.phpVersion} value={r.phpVersion}>
                        PHP {r.phpVersion}
                        {r.label ? ` (${r.label})` : ""}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field id={idOf("php.timezone")} label="Time zone" error={err("php.timezone")}>
                  <Select
                    {...fieldProps("php.timezone")}
                    value={values.timezone}
                    onChange={(e) => set("timezone", e.currentTarget.value)}
                  >
                    {zones.map((zone) => (
                      <option key={zone} value={zone}>
                        {zone}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field
                  id={idOf("php.memoryLimit")}
                  label="Memory limit per request"
                  hint="e.g. 256M; at most the site's memory."
                  error={err("php.memoryLimit")}
                >
                  <Input
                    {...fieldProps("php.memoryLimit")}
                    value={values.memoryLimit}
                    onChange={(e) => set("memoryLimit", e.currentTarget.value)}
                  />
                </Field>
                <Field
                  id={idOf("php.uploadMaxFilesize")}
                  label="Largest upload"
                  hint="upload_max_filesize, e.g. 64M."
                  error={err("php.uploadMaxFilesize")}
                >
                  <Input
                    {...fieldProps("php.uploadMaxFilesize")}
                    value={values.uploadMaxFilesize}
                    onChange={(e) => set("uploadMaxFilesize", e.currentTarget.value)}
                  />
                </Field>
                <Field
                  id={idOf("php.postMaxSize")}
                  label="Largest form post"
                  hint="post_max_size; at least the largest upload."
                  error={err("php.postMaxSize")}
                >
                  <Input
                    {...fieldProps("php.postMaxSize")}
                    value={values.postMaxSize}
                    onChange={(e) => set("postMaxSize", e.currentTarget.value)}
                  />
                </Field>
                <Field
                  id={idOf("php.maxExecutionTime")}
                  label="Maximum execution time (seconds)"
                  hint={`${MAX_EXECUTION_TIME.min} to ${MAX_EXECUTION_TIME.max}.`}
                  error={err("php.maxExecutionTime")}
                >
                  <Input
                    {...fieldProps("php.maxExecutionTime")}
                    inputMode="numeric"
                    value={values.maxExecutionTime}
                    onChange={(e) => set("maxExecutionTime", e.currentTarget.value)}
                  />
                </Field>
                <Field
                  id={idOf("php.maxInputVars")}
                  label="Maximum input variables"
                  hint={`${MAX_INPUT_VARS.min} to ${MAX_INPUT_VARS.max}.`}
                  error={err("php.maxInputVars")}
                >
                  <Input
                    {...fieldProps("php.maxInputVars")}
                    inputMode="numeric"
                    value={values.maxInputVars}
                    onChange={(e) => set("maxInputVars", e.currentTarget.value)}
                  />
                </Field>
              </div>
              <div className="flex flex-wrap gap-6 text-sm text-zinc-800 dark:text-zinc-200">
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={values.opcache}
                    onChange={(e) => set("opcache", e.currentTarget.checked)}
                  />
                  OPcache (faster PHP; turn off only to debug)
                </label>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={values.displayErrors}
                    onChange={(e) => set("displayErrors", e.currentTarget.checked)}
                  />
                  Show PHP errors in pages (never on a live site)
                </label>
              </div>
            </Group>

            <Group title="Resources">
              {headroom ? (
                <p className="text-sm text-zinc-500 dark:text-zinc-400" data-testid="settings-headroom">
                  With your plan, this site can have at most {headroom.cpuMillicores} CPU millicores and{" "}
                  {headroom.memoryMiB} MiB of memory for PHP{headroom.perPod} ({headroom.webServer} takes
                  another {WEB_SERVER_SHARE.cpuMillicores} and {WEB_SERVER_SHARE.memoryMiB}), and{" "}
                  {headroom.storageGiB} GiB of storage.
                </p>
              ) : null}
              <div className="grid gap-6 sm:grid-cols-4">
                <Field
                  id={idOf("resources.cpuMillicores")}
                  label="CPU (millicores)"
                  hint={`Guaranteed to PHP; it may burst to ${CPU_BURST_FACTOR}×. 1000 = one core.`}
                  error={err("resources.cpuMillicores")}
                >
                  <Input
                    {...fieldProps("resources.cpuMillicores")}
                    inputMode="numeric"
                    value={values.cpuMillicores}
                    onChange={(e) => set("cpuMillicores", e.currentTarget.value)}
                  />
                </Field>
                <Field
                  id={idOf("resources.memoryMiB")}
                  label="Memory (MiB)"
                  hint={`For PHP, ${RESOURCE_BOUNDS.memoryMiB.min} to ${RESOURCE_BOUNDS.memoryMiB.max}.`}
                  error={err("resources.memoryMiB")}
                >
                  <Input
                    {...fieldProps("resources.memoryMiB")}
                    inputMode="numeric"
                    value={values.memoryMiB}
                    onChange={(e) => set("memoryMiB", e.currentTarget.value)}
                  />
                </Field>
                <Field
                  id={idOf("resources.storageGiB")}
                  label="Storage (GiB)"
                  hint={`Can only grow (now ${settings.resources.storageGiB} GiB); growing needs a storage class that allows expansion.`}
                  error={err("resources.storageGiB")}
                >
                  <Input
                    {...fieldProps("resources.storageGiB")}
                    inputMode="numeric"
                    value={values.storageGiB}
                    onChange={(e) => set("storageGiB", e.currentTarget.value)}
                  />
                </Field>
                <Field
                  id={idOf("resources.replicas")}
                  label="Pods"
                  hint={settings.replicaLimit.max <= 1 ? settings.replicaLimit.reason : undefined}
                  error={err("resources.replicas")}
                >
                  <Input
                    {...fieldProps("resources.replicas")}
                    inputMode="numeric"
                    value={values.replicas}
                    disabled={settings.replicaLimit.max <= 1}
                    onChange={(e) => set("replicas", e.currentTarget.value)}
                  />
                </Field>
              </div>
            </Group>

            <SiteEnvVarsEditor
              rows={values.env}
              onChange={(env) => set("env", env)}
              errors={errors}
              disabled={disabled || pending}
            />

            {canEdit ? (
              <div className="flex items-center justify-end gap-3 border-t border-zinc-200 pt-5 dark:border-zinc-800">
                <Button type="button" variant="ghost" onClick={reload}>
                  Discard changes
                </Button>
                <Button type="submit" pending={pending}>
                  Save settings
                </Button>
              </div>
            ) : null}
          </fieldset>
        </form>
      </CardBody>
    </Card>
  );
}
