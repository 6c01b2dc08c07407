"use client";

import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState, useTransition } from "react";
import { previewSchedule, SCHEDULE_TIME_ZONE_NOTE } from "@/components/cron-jobs/format";
import { SchedulePreview } from "@/components/cron-jobs/schedule-preview";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { unplacedError } from "@/components/ui/unplaced-error";
import { createCronJobAction } from "@/lib/actions/cron-job/create-cron-job-action";
import { updateCronJobAction } from "@/lib/actions/cron-job/update-cron-job-action";
import type { CronJobJson } from "@/lib/api/json";
import { queryKeys } from "@/lib/query/keys";
import {
  CONCURRENCY_POLICIES,
  CONCURRENCY_POLICY_LABELS,
  CRON_COMMAND_MAX_LENGTH,
  CRON_HISTORY_LIMIT_MAX,
  type ConcurrencyPolicy,
} from "@/lib/validation/cron-job";

const FIELDS = [
  "name",
  "schedule",
  "command",
  "concurrencyPolicy",
  "successfulJobsHistoryLimit",
  "failedJobsHistoryLimit",
] as const;

/** An integer for the schema, or the text as typed so that the schema says what is wrong with it. */
function numberOrText(value: FormDataEntryValue | null): number | string {
  const text = String(value ?? "").trim();
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/**
 * Creates a cron job (`cronJob` undefined) or edits one. The schedule is previewed in words with
 * its next runs as it is typed; the server's messages land next to their fields.
 */
export function CronJobDialog({
  siteId,
  cronJob,
  open,
  onClose,
}: {
  siteId: string;
  cronJob?: CronJobJson;
  open: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [schedule, setSchedule] = useState(cronJob?.schedule ?? "");
  const [scheduleTouched, setScheduleTouched] = useState(false);
  const [pending, startTransition] = useTransition();
  const editing = cronJob !== undefined;
  const prefix = editing ? `cron-${cronJob.id}` : "cron-new";
  const id = (field: string) => `${prefix}-${field}`;

  function close() {
    setErrors({});
    setFormError(null);
    setSchedule(cronJob?.schedule ?? "");
    setScheduleTouched(false);
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = {
      name: String(form.get("name") ?? ""),
      schedule: String(form.get("schedule") ?? ""),
      command: String(form.get("command") ?? ""),
      concurrencyPolicy: String(form.get("concurrencyPolicy") ?? ""),
      successfulJobsHistoryLimit: numberOrText(form.get("successfulJobsHistoryLimit")),
      failedJobsHistoryLimit: numberOrText(form.get("failedJobsHistoryLimit")),
    };
    startTransition(async () => {
      const result = editing
        ? await updateCronJobAction({ cronJobId: cronJob.id, ...fields })
        : await createCronJobAction({ siteId, ...fields, enabled: true });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(unplacedError(result, FIELDS));
        return;
      }
      await queryClient.invalidateQueries({ queryKey: queryKeys.cronJobs.list(siteId) });
      toast.show({
        tone: "success",
        title: editing ? `Cron job ${result.data.name} saved` : `Cron job ${result.data.name} created`,
        description: result.data.scheduleText,
      });
      close();
    });
  }

  // The server's message stands until the user changes the schedule; then the live check speaks.
  const liveProblem =
    scheduleTouched && schedule.trim() !== "" ? previewSchedule(schedule, new Date()).problem : null;
  const scheduleError = scheduleTouched ? (liveProblem ?? undefined) : errors.schedule;
  const err = (field: string) => errors[field];
  const describedBy = (field: string, error?: string) => (error ? `${id(field)}-error` : `${id(field)}-hint`);

  return (
    <Dialog
      open={open}
      onClose={close}
      wide
      title={editing ? `Edit ${cronJob.name}` : "New cron job"}
      description={
        <p>Runs a shell command in the site's PHP image, from its document root, on a schedule.</p>
      }
    >
      <form
        onSubmit={onSubmit}
        noValidate
        className="space-y-4"
        aria-label={editing ? "Edit cron job" : "New cron job"}
      >
        <FormError message={formError} testId="cron-job-form-error" />
        <Field
          id={id("name")}
          label="Name"
          hint="Lower-case letters, digits and hyphens, e.g. nightly-import."
          error={err("name")}
        >
          <Input
            id={id("name")}
            name="name"
            defaultValue={cronJob?.name ?? ""}
            autoComplete="off"
            spellCheck={false}
            invalid={Boolean(err("name"))}
            describedBy={describedBy("name", err("name"))}
            autoFocus={!editing}
          />
        </Field>
        <Field
          id={id("schedule")}
          label="Schedule"
          hint="Five fields: minute hour day-of-month month day-of-week, e.g. 0 3 * * * (every day at 03:00 UTC)."
          error={scheduleError}
        >
          <Input
            id={id("schedule")}
            name="schedule"
            value={schedule}
            onChange={(e) => {
              setSchedule(e.target.value);
              setScheduleTouched(true);
            }}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            invalid={Boolean(scheduleError)}
            describedBy={describedBy("schedule", scheduleError)}
          />
        </Field>
        <div className="rounded-lg bg-zinc-50 px-3 py-2 dark:bg-zinc-800/50">
          <SchedulePreview schedule={schedule} />
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{SCHEDULE_TIME_ZONE_NOTE}</p>
        </div>
        <Field
          id={id("command")}
          label="Command"
          hint="One line, run with sh -c, e.g. php artisan schedule:run or php wp-cli.phar cron event run --due-now."
          error={err("command")}
        >
          <Input
            id={id("command")}
            name="command"
            defaultValue={cronJob?.command ?? ""}
            maxLength={CRON_COMMAND_MAX_LENGTH}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            invalid={Boolean(err("command"))}
            describedBy={describedBy("command", err("command"))}
          />
        </Field>
        <Field
          id={id("concurrencyPolicy")}
          label="When a run is due while the previous one is still running"
          error={err("concurrencyPolicy")}
        >
          <Select
            id={id("concurrencyPolicy")}
            name="concurrencyPolicy"
            defaultValue={cronJob?.concurrencyPolicy ?? "FORBID"}
            invalid={Boolean(err("concurrencyPolicy"))}
          >
            {CONCURRENCY_POLICIES.map((policy: ConcurrencyPolicy) => (
              <option key={policy} value={policy}>
                {CONCURRENCY_POLICY_LABELS[policy]}
              </option>
            ))}
          </Select>
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id={id("successfulJobsHistoryLimit")}
            label="Successful runs kept"
            hint={`0 to ${CRON_HISTORY_LIMIT_MAX}; older runs and their output are removed.`}
            error={err("successfulJobsHistoryLimit")}
          >
            <Input
              id={id("successfulJobsHistoryLimit")}
              name="successfulJobsHistoryLimit"
              inputMode="numeric"
              defaultValue={String(cronJob?.successfulJobsHistoryLimit ?? 3)}
              invalid={Boolean(err("successfulJobsHistoryLimit"))}
              describedBy={describedBy("successfulJobsHistoryLimit", err("successfulJobsHistoryLimit"))}
            />
          </Field>
          <Field
            id={id("failedJobsHistoryLimit")}
            label="Failed runs kept"
            hint={`0 to ${CRON_HISTORY_LIMIT_MAX}.`}
            error={err("failedJobsHistoryLimit")}
          >
            <Input
              id={id("failedJobsHistoryLimit")}
              name="failedJobsHistoryLimit"
              inputMode="numeric"
              defaultValue={String(cronJob?.failedJobsHistoryLimit ?? 1)}
              invalid={Boolean(err("failedJobsHistoryLimit"))}
              describedBy={describedBy("failedJobsHistoryLimit", err("failedJobsHistoryLimit"))}
            />
          </Field>
        </div>
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" pending={pending}>
            {editing ? "Save" : "Create cron job"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
