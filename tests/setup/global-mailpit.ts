/**
 * Vitest global setup for the integration-db lane (the suites that send mail): starts a Mailpit of its own (built from the Go
 * module proxy into the cache on first use, scripts/mailpit.mjs) on free loopback ports, points
 * Sitepod's SITEPOD_SMTP_URL at it for the test workers, hands them its HTTP API
 * (tests/helpers/mailpit.ts reads the messages there), and stops it on teardown. Every run has its
 * own: nothing is left running, and a developer's `npm run up` mailbox is never touched.
 */
import type { TestProject } from "vitest/node";
import { startMailpit } from "../../scripts/mailpit.mjs";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mailpit = await startMailpit({ say: (line) => process.stderr.write(`[mailpit] ${line}\n`) });
  process.env.SITEPOD_SMTP_URL = mailpit.smtpUrl;
  process.env.SITEPOD_TEST_MAILPIT_API = mailpit.apiUrl;
  project.provide("mailpitApi", mailpit.apiUrl);
  return async () => {
    await mailpit.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    mailpitApi: string;
  }
}
