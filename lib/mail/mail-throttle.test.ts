import { describe, expect, it } from "vitest";
import { delayAfter } from "@/lib/auth/sign-in-throttle";
import { MAIL_THROTTLE_RULES, waitInWords } from "@/lib/mail/mail-throttle";

describe("the mail throttle's rules", () => {
  it("mails one address four times an hour before it waits, 5 minutes doubling to an hour", () => {
    const rule = MAIL_THROTTLE_RULES.MAIL_EMAIL;
    expect([1, 2, 3].map((n) => delayAfter(n, rule))).toEqual([0, 0, 0]);
    expect([4, 5, 6, 7, 8].map((n) => delayAfter(n, rule) / 60_000)).toEqual([5, 10, 20, 40, 60]);
  });

  it("lets one client ask twenty times, then 15 minutes", () => {
    const rule = MAIL_THROTTLE_RULES.MAIL_ADDRESS;
    expect(delayAfter(19, rule)).toBe(0);
    expect(delayAfter(20, rule)).toBe(15 * 60_000);
  });
});

describe("waitInWords", () => {
  it.each([
    [1, "1 second"],
    [45, "45 seconds"],
    [300, "5 minutes"],
    [3000, "50 minutes"],
    [3600, "1 hour"],
    [7200, "2 hours"],
  ])("%i seconds read %s", (seconds, words) => {
    expect(waitInWords(seconds)).toBe(words);
  });
});
