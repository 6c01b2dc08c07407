import { describe, expect, it } from "vitest";
import {
  cronCommandProblem,
  cronJobNameProblem,
  cronScheduleProblem,
  createCronJobSchema,
  describeSchedule,
  nextRuns,
  updateCronJobSchema,
} from "./cron-job";

function messages(schema: typeof createCronJobSchema | typeof updateCronJobSchema, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) out[issue.path.join(".")] ??= issue.message;
  return out;
}

const valid = { name: "nightly-import", schedule: "0 3 * * *", command: "php artisan import" };

describe("cronScheduleProblem", () => {
  it.each([
    "*/5 * * * *",
    "0 3 * * 1-5",
    "0 0 1 JAN,jul *",
    "15,45 8-18/2 * * MON-FRI",
    "0 0 * * 0",
    "0 0 29 2 *",
    "59 23 31 12 6",
  ])("accepts %s", (schedule) => {
    expect(cronScheduleProblem(schedule)).toBeNull();
  });

  it.each([
    ["", "Enter a schedule, e.g. 0 3 * * * for every day at 03:00."],
    [
      "* * *",
      '"* * *" is not a cron schedule: it needs five fields (minute hour day-of-month month day-of-week) and has 3.',
    ],
    [
      "0 0 0 * * *",
      '"0 0 0 * * *" is not a cron schedule: it needs five fields (minute hour day-of-month month day-of-week) and has 6.',
    ],
    ["61 * * * *", '"61 * * * *" is not a cron schedule: the minute field "61": 61 is outside 0–59.'],
    ["0 24 * * *", '"0 24 * * *" is not a cron schedule: the hour field "24": 24 is outside 0–23.'],
    [
      "0 0 * * 7",
      '"0 0 * * 7" is not a cron schedule: the day-of-week field "7" has 7, outside 0–6 (0 is Sunday).',
    ],
    [
      "5-2 * * * *",
      '"5-2 * * * *" is not a cron schedule: the minute field "5-2": the range 5-2 goes backwards.',
    ],
    [
      "*/0 * * * *",
      '"*/0 * * * *" is not a cron schedule: the minute field "*/0": a step of 0 never repeats.',
    ],
    ["0 0 31 2 *", '"0 0 31 2 *" is not a cron schedule: that day never comes in that month.'],
    ["a * * * *", '"a * * * *" is not a cron schedule: the minute field "a" can hold numbers only.'],
    [
      "0 0 * FOO *",
      '"0 0 * FOO *" is not a cron schedule: the month field "FOO" has "FOO", which is not one of JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC.',
    ],
    [
      "0 0 L * *",
      '"0 0 L * *" is not a cron schedule: the day-of-month field "L" uses "L", which Kubernetes does not support; use numbers, *, ranges (1-5), lists (1,3) and steps (*/15).',
    ],
    [
      "0 0 * * 1#2",
      '"0 0 * * 1#2" is not a cron schedule: the day-of-week field "1#2" uses "#", which Kubernetes does not support; use numbers, names (SUN–SAT), *, ranges (1-5), lists (1,3) and steps (*/15).',
    ],
    [
      "@daily",
      '"@daily" is not a cron schedule: write it as five fields (minute hour day-of-month month day-of-week), e.g. 0 0 * * * for every day at midnight.',
    ],
    [
      "TZ=Europe/Paris 0 3 * * *",
      '"TZ=Europe/Paris 0 3 * * *" is not a cron schedule: time zones cannot be set in the schedule; schedules run in UTC.',
    ],
  ])("refuses %j", (schedule, message) => {
    expect(cronScheduleProblem(schedule)).toBe(message);
  });
});

describe("describeSchedule and nextRuns", () => {
  it("says a schedule in words, in 24-hour time", () => {
    expect(describeSchedule("*/5 * * * *")).toBe("Every 5 minutes");
    expect(describeSchedule("0 3 * * 1-5")).toBe("At 03:00, Monday through Friday");
  });

  it("gives the next runs in UTC after the given moment", () => {
    const from = new Date("2026-11-30T06:02:00Z");
    expect(nextRuns("*/5 * * * *", 3, from).map((d) => d.toISOString())).toEqual([
      "2026-11-30T06:05:00.000Z",
      "2026-11-30T06:10:00.000Z",
      "2026-11-30T06:15:00.000Z",
    ]);
    expect(nextRuns("0 3 * * 1-5", 3, from).map((d) => d.toISOString())).toEqual([
      "2026-12-01T03:00:00.000Z",
      "2026-12-02T03:00:00.000Z",
      "2026-12-03T03:00:00.000Z",
    ]);
  });
});

describe("cronJobNameProblem and cronCommandProblem", () => {
  it.each([
    ["", "Enter a name for the cron job."],
    ["Import", "Use lower-case letters only."],
    [
      "-import",
      "Use only lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. nightly-import).",
    ],
    ["a".repeat(41), "Use at most 40 characters."],
    ["wp-cron", '"wp-cron" is the name of the job Sitepod runs for WordPress; choose another name.'],
  ])("refuses the name %j", (name, message) => {
    expect(cronJobNameProblem(name)).toBe(message);
  });

  it.each([
    ["", "Enter the command to run, e.g. php artisan schedule:run."],
    ["x".repeat(1001), "Use at most 1000 characters."],
    [
      "php a.php\nphp b.php",
      "Write the command on one line (join several commands with && or ;), or put them in a script on the site and run that.",
    ],
    ["php a.php\u0007", "The command has control characters; remove them."],
  ])("refuses the command %j", (command, message) => {
    expect(cronCommandProblem(command)).toBe(message);
  });

  it("accepts a shell command line with pipes, quotes and tabs", () => {
    expect(
      cronCommandProblem(`php wp-cli.phar cron event run --due-now 2>&1 | tail -n 5 && echo "done"\t`),
    ).toBeNull();
  });
});

describe("createCronJobSchema", () => {
  it("applies defaults, trims and joins the schedule's spaces", () => {
    expect(
      createCronJobSchema.parse({
        name: " nightly-import ",
        schedule: " 0  3 * *\t* ",
        command: " php artisan import ",
      }),
    ).toEqual({
      name: "nightly-import",
      schedule: "0 3 * * *",
      command: "php artisan import",
      enabled: true,
      concurrencyPolicy: "FORBID",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  });

  it("names every bad field with its message", () => {
    expect(
      messages(createCronJobSchema, {
        name: "Bad Name",
        schedule: "61 * * * *",
        command: "",
        concurrencyPolicy: "SOMETIMES",
        successfulJobsHistoryLimit: 11,
        failedJobsHistoryLimit: -1,
      }),
    ).toEqual({
      name: "Use lower-case letters only.",
      schedule: '"61 * * * *" is not a cron schedule: the minute field "61": 61 is outside 0–59.',
      command: "Enter the command to run, e.g. php artisan schedule:run.",
      concurrencyPolicy: "Choose what happens when a run is due while the previous one still runs.",
      successfulJobsHistoryLimit: "Keep at most 10 runs.",
      failedJobsHistoryLimit: "Enter 0 or more.",
    });
    expect(messages(createCronJobSchema, valid)).toEqual({});
  });

  it("update: every field optional, unknown fields refused", () => {
    expect(updateCronJobSchema.parse({ enabled: false })).toEqual({ enabled: false });
    expect(messages(updateCronJobSchema, { schedule: "* *" })).toEqual({
      schedule:
        '"* *" is not a cron schedule: it needs five fields (minute hour day-of-month month day-of-week) and has 2.',
    });
    expect(Object.keys(messages(updateCronJobSchema, { siteId: "x" }))).toEqual([""]);
  });
});
