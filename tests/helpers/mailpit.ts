/**
 * Reads the mail Sitepod sent from Mailpit's HTTP API, for integration and end-to-end tests. The
 * API's address comes from whoever started Mailpit: tests/setup/global-mailpit.ts (integration) or
 * `npm run up` (for e2e: the run state that e2e/global-setup.ts writes from its mailpit.json).
 */
import { eventually } from "./eventually";

export interface MailSummary {
  ID: string;
  Subject: string;
  To: { Name: string; Address: string }[];
  Created: string;
}

export interface Mail {
  ID: string;
  Subject: string;
  From: { Name: string; Address: string };
  To: { Name: string; Address: string }[];
  Text: string;
  HTML: string;
}

export class Mailbox {
  constructor(readonly apiUrl: string) {}

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.apiUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`Mailpit ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Messages to `email`, newest first. */
  async to(email: string): Promise<MailSummary[]> {
    const query = encodeURIComponent(`to:"${email}"`);
    const found = await this.get<{ messages: MailSummary[] }>(`/search?query=${query}&limit=200`);
    // The search matches parts of addresses; only this one counts.
    return found.messages.filter((m) => m.To.some((t) => t.Address.toLowerCase() === email.toLowerCase()));
  }

  async message(id: string): Promise<Mail> {
    return this.get<Mail>(`/message/${id}`);
  }

  /**
   * Waits for the `count`-th message to `email` (1: the first ever) whose subject contains
   * `subject`, and answers it in full.
   */
  async waitFor(email: string, options: { subject?: string; count?: number; timeoutMs?: number } = {}) {
    const count = options.count ?? 1;
    const summary = await eventually(
      `mail ${count} to ${email}${options.subject ? ` about "${options.subject}"` : ""}`,
      async () => {
        const matching = (await this.to(email)).filter(
          (m) => !options.subject || m.Subject.includes(options.subject),
        );
        return matching.length >= count ? matching[matching.length - count] : undefined;
      },
      options.timeoutMs ?? 20_000,
    );
    return this.message(summary.ID);
  }
}

/** The first link in the message's text that goes to `path` ("/reset-password/"), as a URL. */
export function linkIn(mail: Pick<Mail, "Text">, path: string): URL {
  for (const match of mail.Text.matchAll(/https?:\/\/\S+/g)) {
    const url = new URL(match[0]);
    if (url.pathname.startsWith(path)) return url;
  }
  throw new Error(`no link to ${path} in:\n${mail.Text}`);
}

/** The token at the end of a link's path. */
export function tokenOf(link: URL): string {
  const token = link.pathname.split("/").pop();
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

/** The integration run's Mailpit (tests/setup/global-mailpit.ts). */
export function testMailbox(): Mailbox {
  const api = process.env.SITEPOD_TEST_MAILPIT_API;
  if (!api) throw new Error("SITEPOD_TEST_MAILPIT_API is not set: run through vitest's integration project");
  return new Mailbox(api);
}
