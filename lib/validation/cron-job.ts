/**
 * The cron job schema, written once and shared by the cron job form (with its live preview), the
 * server actions, the REST routes and the services. Messages are shown to users as they are.
 *
 * Schedules are what Kubernetes' CronJob controller accepts (robfig/cron's standard parser):
 * five fields of numbers, month and weekday names, `*`, ranges, lists and steps. cron-parser
 * accepts more (L, #, H, a seconds field, weekday 7): those are refused here, so that a schedule
 * the panel accepts is never one the cluster refuses.
 */
import { CronExpressionParser } from "cron-parser";
import cronstrue from "cronstrue";
import { z } from "zod";

export const CRON_JOB_NAME_MAX_LENGTH = 40;
export const CRON_COMMAND_MAX_LENGTH = 1000;
export const CRON_SCHEDULE_MAX_LENGTH = 100;
export const CRON_HISTORY_LIMIT_MAX = 10;
/** Schedules run in UTC: accounts have no time zone setting yet (the CronJob sets timeZone). */
export const CRON_TIME_ZONE = "Etc/UTC";
export const CONCURRENCY_POLICIES = ["FORBID", "ALLOW", "REPLACE"] as const;
export type ConcurrencyPolicy = (typeof CONCURRENCY_POLICIES)[number];

export const CONCURRENCY_POLICY_LABELS: Record<ConcurrencyPolicy, string> = {
  FORBID: "Skip a run while the previous one is still running",
  ALLOW: "Start runs even if the previous one is still running",
  REPLACE: "Stop the previous run and start the new one",
};

/** The name of WordPress's built-in job: no user job may take it, so the list never shows two. */
export const RESERVED_CRON_JOB_NAMES = ["wp-cron"] as const;

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `name` is not a valid cron job name (a DNS-1123 label), or null. */
export function cronJobNameProblem(name: string): string | null {
  if (name.length === 0) return "Enter a name for the cron job.";
  if (name.length > CRON_JOB_NAME_MAX_LENGTH) return `Use at most ${CRON_JOB_NAME_MAX_LENGTH} characters.`;
  if (/[A-Z]/.test(name)) return "Use lower-case letters only.";
  if (!LABEL.test(name)) {
    return "Use only lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. nightly-import).";
  }
  if ((RESERVED_CRON_JOB_NAMES as readonly string[]).includes(name)) {
    return `"${name}" is the name of the job Sitepod runs for WordPress; choose another name.`;
  }
  return null;
}

const FIELD_NAMES = ["minute", "hour", "day-of-month", "month", "day-of-week"] as const;
/** Names allowed per field (Kubernetes accepts them in any case); none for the first three. */
const FIELD_WORDS: readonly (readonly string[])[] = [
  [],
  [],
  [],
  ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
];

/** cron-parser's messages, said for a user. */
function tidyParserMessage(message: string | undefined): string {
  const text = message ?? "";
  const range = /got value (\S+) expected range (\d+)-(\d+)/.exec(text);
  if (range) return `${range[1]} is outside ${range[2]}–${range[3]}`;
  const invalidRange = /Invalid range: (\S+), min\((\d+)\) > max\((\d+)\)/.exec(text);
  if (invalidRange) return `the range ${invalidRange[1]} goes backwards`;
  if (/cannot repeat at every 0 time/.test(text)) return "a step of 0 never repeats";
  if (/Invalid explicit day of month definition/.test(text)) return "that day never comes in that month";
  if (/Invalid characters/.test(text)) return "it has characters a cron field cannot hold";
  return text.trim().length > 0 ? text.trim() : "it cannot be read";
}

function parse(expression: string, options: { currentDate?: Date; tz?: string } = {}) {
  return CronExpressionParser.parse(expression, { tz: "UTC", ...options });
}

/** Why one field cannot be part of a schedule, or null (ranges are checked by cron-parser). */
function fieldProblem(field: string, index: number): string | null {
  const fieldName = FIELD_NAMES[index];
  const words = FIELD_WORDS[index] ?? [];
  const unsupported = /[LW#H?]/.exec(
    field.toUpperCase().replace(/[A-Z]{3}/g, (w) => (words.includes(w) ? "" : w)),
  );
  if (unsupported) {
    return `the ${fieldName} field "${field}" uses "${unsupported[0]}", which Kubernetes does not support; use numbers${
      words.length > 0 ? `, names (${words[0]}–${words[words.length - 1]})` : ""
    }, *, ranges (1-5), lists (1,3) and steps (*/15)`;
  }
  for (const token of field.toUpperCase().match(/[A-Z]+/g) ?? []) {
    if (!words.includes(token)) {
      return words.length > 0
        ? `the ${fieldName} field "${field}" has "${token}", which is not one of ${words.join(", ")}`
        : `the ${fieldName} field "${field}" can hold numbers only`;
    }
  }
  if (!/^[0-9A-Za-z*,/-]+$/.test(field)) {
    return `the ${fieldName} field "${field}" has characters a cron field cannot hold`;
  }
  // Kubernetes numbers weekdays 0–6 (0 is Sunday); cron-parser would also take 7.
  if (index === 4) {
    for (const number of field.split(/[,\-/]/)) {
      const isStep = field.includes(`/${number}`);
      if (!isStep && /^\d+$/.test(number) && Number(number) > 6) {
        return `the day-of-week field "${field}" has ${number}, outside 0–6 (0 is Sunday)`;
      }
    }
  }
  const probe = FIELD_NAMES.map((_, i) => (i === index ? field : "*")).join(" ");
  try {
    parse(probe);
  } catch (err) {
    return `the ${fieldName} field "${field}": ${tidyParserMessage(err instanceof Error ? err.message : undefined)}`;
  }
  return null;
}

/** Why `schedule` (trimmed) is not a cron schedule Kubernetes runs, or null. */
export function cronScheduleProblem(schedule: string): string | null {
  if (schedule.length === 0) return "Enter a schedule, e.g. 0 3 * * * for every day at 03:00.";
  const not = (why: string) => `"${schedule}" is not a cron schedule: ${why}.`;
  if (schedule.length > CRON_SCHEDULE_MAX_LENGTH)
    return not(`use at most ${CRON_SCHEDULE_MAX_LENGTH} characters`);
  if (schedule.startsWith("@")) {
    return not(
      "write it as five fields (minute hour day-of-month month day-of-week), e.g. 0 0 * * * for every day at midnight",
    );
  }
  if (/^TZ=|^CRON_TZ=/i.test(schedule))
    return not("time zones cannot be set in the schedule; schedules run in UTC");
  const fields = schedule.split(/\s+/);
  if (fields.length !== 5) {
    return not(`it needs five fields (minute hour day-of-month month day-of-week) and has ${fields.length}`);
  }
  for (const [index, field] of fields.entries()) {
    const problem = fieldProblem(field, index);
    if (problem) return not(problem);
  }
  try {
    parse(schedule).next();
  } catch (err) {
    return not(tidyParserMessage(err instanceof Error ? err.message : undefined));
  }
  return null;
}

/** "At 03:00, Monday through Friday"; the schedule must be valid (cronScheduleProblem null). */
export function describeSchedule(schedule: string): string {
  try {
    return cronstrue.toString(schedule, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return schedule;
  }
}

/** The next `count` times a valid schedule fires after `from`, in UTC (as Kubernetes runs it). */
export function nextRuns(schedule: string, count: number, from: Date = new Date()): Date[] {
  try {
    return parse(schedule, { currentDate: from })
      .take(count)
      .map((d) => d.toDate());
  } catch {
    return [];
  }
}

/** Why `command` (trimmed) cannot be run, or null. */
export function cronCommandProblem(command: string): string | null {
  if (command.length === 0) return "Enter the command to run, e.g. php artisan schedule:run.";
  if (command.length > CRON_COMMAND_MAX_LENGTH) return `Use at most ${CRON_COMMAND_MAX_LENGTH} characters.`;
  if (/[\r\n]/.test(command)) {
    return "Write the command on one line (join several commands with && or ;), or put them in a script on the site and run that.";
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(command))
    return "The command has control characters; remove them.";
  return null;
}

function refineWith(problem: (value: string) => string | null) {
  return (value: string, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  };
}

export const cronJobNameSchema = z
  .string({ error: "Enter a name for the cron job." })
  .trim()
  .superRefine(refineWith(cronJobNameProblem));

/** Trims and joins runs of spaces, so that "0  3 * * *" is stored as Kubernetes shows it. */
export const cronScheduleSchema = z
  .string({ error: "Enter a schedule." })
  .trim()
  .transform((value) => value.replace(/\s+/g, " "))
  .superRefine(refineWith(cronScheduleProblem));

export const cronCommandSchema = z
  .string({ error: "Enter the command to run." })
  .transform((value) => value.trim())
  .superRefine(refineWith(cronCommandProblem));

const historyLimitSchema = z
  .number({ error: "Enter a number." })
  .int("Enter a whole number.")
  .min(0, "Enter 0 or more.")
  .max(CRON_HISTORY_LIMIT_MAX, `Keep at most ${CRON_HISTORY_LIMIT_MAX} runs.`);

const concurrencyPolicySchema = z.enum(CONCURRENCY_POLICIES, {
  error: "Choose what happens when a run is due while the previous one still runs.",
});

export const createCronJobSchema = z.object({
  name: cronJobNameSchema,
  schedule: cronScheduleSchema,
  command: cronCommandSchema,
  enabled: z.boolean({ error: "Choose whether the job is enabled." }).default(true),
  concurrencyPolicy: concurrencyPolicySchema.default("FORBID"),
  successfulJobsHistoryLimit: historyLimitSchema.default(3),
  failedJobsHistoryLimit: historyLimitSchema.default(1),
});
export type CreateCronJobInput = z.output<typeof createCronJobSchema>;

/** Every field optional: a PATCH changes what it names (the toggle sends `enabled` alone). */
export const updateCronJobSchema = z
  .object({
    name: cronJobNameSchema,
    schedule: cronScheduleSchema,
    command: cronCommandSchema,
    enabled: z.boolean({ error: "Choose whether the job is enabled." }),
    concurrencyPolicy: concurrencyPolicySchema,
    successfulJobsHistoryLimit: historyLimitSchema,
    failedJobsHistoryLimit: historyLimitSchema,
  })
  .partial()
  .strict();
export type UpdateCronJobInput = z.output<typeof updateCronJobSchema>;
